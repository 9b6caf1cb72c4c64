package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.flink.harness.Await;
import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.FlinkVersion;
import dev.flinkspot.flink.harness.WorkDirs;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The TaskManager preStop flinkspot's admission defaults add ({@link PreStopScript}: the exact
 * exported command, run with /bin/sh) against a real JobManager of this module's Flink version
 * running the stock-ticker job, its REST base URL pointed at the harness: it returns soon after the
 * checkpoint triggered with it (as the controller triggers on a Spot notice) completes, after its 2
 * s least wait when none is triggered, after the former fixed 5 s when the REST port is closed, and
 * by its 20 s bound when a checkpoint never completes (the TaskManager SIGSTOPped). The responses
 * it parses with grep/sed are those of this Flink version (1.20 here, 2.2 in job-flink2).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreStopScriptIT {
  /** The script's bounds (TaskManagerDrain: 2 s least, 5 s fallback, 20 s most). */
  private static final Duration LEAST = Duration.ofSeconds(2);

  private static final Duration FALLBACK = Duration.ofSeconds(5);
  private static final Duration MOST = Duration.ofSeconds(PreStopScript.MAX_SECONDS);

  /** One poll past a bound: a curl of at most 1 s and the 0.5 s sleep. */
  private static final Duration ONE_POLL = Duration.ofMillis(1_500);

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static FlinkCluster cluster;

  @BeforeAll
  static void startCluster() {
    try {
      PreStopScript.exported();
    } catch (IllegalStateException missing) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw missing;
      }
      assumeTrue(false, missing.getMessage());
    }
    StockTickerRun run = new StockTickerRun(WorkDirs.create("prestop"), 10_000_000, 200);
    // No periodic checkpoint during a run of the script: only the triggered one moves the counts.
    cluster =
        run.cluster()
            .taskManagers(1)
            .set("execution.checkpointing.interval", "30 min")
            // A SIGSTOPped TaskManager fails the checkpoint trigger after the RPC timeout (10 s by
            // default): longer than the script's bound, so that the last test sees it hang.
            .set("pekko.ask.timeout", "60 s")
            .build()
            .start();
    cluster.awaitRunning(1, TIMEOUT);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void returnsSoonAfterTheCheckpointOnTheNoticeCompletes() throws Exception {
    var rest = cluster.rest();
    String job = cluster.jobId();
    long before = rest.checkpoints(job).latestCompletedId();
    // The eviction starts the preStop as the controller, seeing the taint, triggers.
    CompletableFuture<PreStopScript.Ran> preStop =
        CompletableFuture.supplyAsync(() -> PreStopScript.run(rest.base(), TIMEOUT));
    String trigger =
        rest.post("/jobs/" + job + "/checkpoints", "{\"checkpointType\":\"CONFIGURED\"}")
            .path("request-id")
            .asText();
    PreStopScript.Ran ran = preStop.get();
    long exited = System.currentTimeMillis();

    JsonNode done =
        Await.until(
            "checkpoint " + trigger,
            TIMEOUT,
            () -> {
              JsonNode s = rest.get("/jobs/" + job + "/checkpoints/" + trigger);
              return "COMPLETED".equals(s.path("status").path("id").asText())
                  ? Optional.of(s)
                  : Optional.empty();
            });
    assertThat(done.path("operation").has("failureCause")).as(done.toString()).isFalse();
    long id = done.path("operation").path("checkpointId").asLong();
    assertThat(id).isGreaterThan(before);
    long acked =
        rest.get("/jobs/" + job + "/checkpoints/details/" + id)
            .path("latest_ack_timestamp")
            .asLong();
    System.out.printf(
        "Flink %s: checkpoint %d completed %d ms before the preStop returned, after %.1f s%n",
        FlinkVersion.release(), id, exited - acked, ran.took().toMillis() / 1000.0);
    assertThat(ran.exitCode()).isZero();
    assertThat(acked).as("the checkpoint completed before the preStop returned").isLessThan(exited);
    assertThat(exited - acked)
        .as("ms from the checkpoint's completion to the preStop's return")
        .isLessThan(ONE_POLL.toMillis());
    assertThat(ran.took())
        .as("returned on the checkpoint, before the least wait")
        .isLessThan(LEAST);
  }

  @Test
  @Order(2)
  void withoutACheckpointReturnsAfterTheLeastWait() {
    PreStopScript.Ran ran = PreStopScript.run(cluster.rest().base(), TIMEOUT);
    assertThat(ran.exitCode()).isZero();
    assertThat(ran.took()).isBetween(LEAST, LEAST.plus(ONE_POLL));
  }

  @Test
  @Order(3)
  void aClosedRestPortWaitsTheFormerFixedDelay() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: connections are refused
    }
    PreStopScript.Ran ran = PreStopScript.run(URI.create("http://127.0.0.1:" + port), TIMEOUT);
    assertThat(ran.exitCode()).isZero();
    assertThat(ran.took()).isBetween(FALLBACK, FALLBACK.plusSeconds(1));
  }

  @Test
  @Order(4)
  void aCheckpointThatNeverCompletesIsWaitedForAtMostTheBound() {
    var rest = cluster.rest();
    cluster.taskManagers().get(0).freeze(); // it acknowledges nothing: the checkpoint hangs
    rest.post("/jobs/" + cluster.jobId() + "/checkpoints", "{\"checkpointType\":\"CONFIGURED\"}");
    Await.untilTrue(
        "the checkpoint in progress",
        TIMEOUT,
        () ->
            rest.get("/jobs/" + cluster.jobId() + "/checkpoints")
                    .path("counts")
                    .path("in_progress")
                    .asInt()
                > 0);
    PreStopScript.Ran ran = PreStopScript.run(rest.base(), TIMEOUT);
    assertThat(ran.exitCode()).isZero();
    assertThat(ran.took()).isBetween(MOST, MOST.plus(ONE_POLL));
  }
}
