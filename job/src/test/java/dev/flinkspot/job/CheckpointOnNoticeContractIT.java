package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.flink.harness.Await;
import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.WorkDirs;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The REST contract the controller's checkpoint on a Spot notice relies on ({@code
 * dev.flinkspot.flink.RestCheckpointTrigger} in operator-extension, and the JobManager stand-in its
 * tests count triggers at), checked against a real Flink JobManager (1.20 here, 2.2 in job-flink2/)
 * running the stock-ticker job: the RUNNING job in {@code GET /jobs/overview} ({@code jid}, {@code
 * state}), {@code POST /jobs/<id>/checkpoints} with {@code {"checkpointType":"CONFIGURED"}}
 * answering a {@code request-id}, and {@code GET /jobs/<id>/checkpoints/<request-id>} reaching
 * {@code status.id} COMPLETED with {@code operation.checkpointId} and no {@code
 * operation.failureCause}.
 */
class CheckpointOnNoticeContractIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void aConfiguredCheckpointTriggeredOverRestCompletes() throws Exception {
    StockTickerRun run = new StockTickerRun(WorkDirs.create("checkpoint-contract"), 1_000_000, 200);
    try (FlinkCluster cluster = run.cluster().taskManagers(1).build().start()) {
      cluster.awaitRunning(1, TIMEOUT);
      var rest = cluster.rest();

      JsonNode job = rest.get("/jobs/overview").path("jobs").get(0);
      assertThat(job.path("jid").asText()).isEqualTo(cluster.jobId());
      assertThat(job.path("state").asText()).isEqualTo("RUNNING");

      String trigger =
          rest.post(
                  "/jobs/" + cluster.jobId() + "/checkpoints",
                  "{\"checkpointType\":\"CONFIGURED\"}")
              .path("request-id")
              .asText();
      assertThat(trigger).matches("[0-9a-f]{32}");

      JsonNode done =
          Await.until(
              "checkpoint " + trigger,
              TIMEOUT,
              () -> {
                JsonNode s = rest.get("/jobs/" + cluster.jobId() + "/checkpoints/" + trigger);
                return "COMPLETED".equals(s.path("status").path("id").asText())
                    ? Optional.of(s)
                    : Optional.empty();
              });
      assertThat(done.path("operation").has("failureCause")).as(done.toString()).isFalse();
      long id = done.path("operation").path("checkpointId").asLong(-1);
      assertThat(id).isPositive();
      Await.untilTrue(
          "checkpoint " + id + " in the job's checkpoint statistics",
          TIMEOUT,
          () -> rest.checkpoints(cluster.jobId()).latestCompletedId() >= id);
    }
  }
}
