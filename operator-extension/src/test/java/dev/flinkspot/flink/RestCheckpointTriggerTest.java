package dev.flinkspot.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.flink.CheckpointOutcome.Result;
import dev.flinkspot.testing.flink.JobManagerRestStub;
import dev.flinkspot.testing.flink.JobManagerRestStub.Mode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The REST checkpoint client's decisions on each answer Flink can give, and its bounds. */
class RestCheckpointTriggerTest {

  private final RestCheckpointTrigger trigger =
      new RestCheckpointTrigger(
          Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(50));

  private CheckpointOutcome run(Mode mode, Duration deadline) throws Exception {
    try (var flink = new JobManagerRestStub(mode)) {
      return trigger.checkpoint(flink.uri(), deadline);
    }
  }

  @Test
  void completedCheckpointGivesItsIdAfterPollingPastInProgress() throws Exception {
    try (var flink = new JobManagerRestStub(Mode.COMPLETES)) {
      var o = trigger.checkpoint(flink.uri(), Duration.ofSeconds(10));
      assertThat(o.result()).isEqualTo(Result.COMPLETED);
      assertThat(o.jobId()).isEqualTo(JobManagerRestStub.JOB_ID);
      assertThat(o.checkpointId()).isEqualTo(41);
      assertThat(flink.triggers()).isEqualTo(1);
    }
  }

  @Test
  void failureCauseIsReportedAsFailed() throws Exception {
    var o = run(Mode.FAILS, Duration.ofSeconds(10));
    assertThat(o.result()).isEqualTo(Result.FAILED);
    assertThat(o.detail()).contains("Checkpoint expired before completing");
  }

  @Test
  void aJobThatIsNotRunningIsNotTriggered() throws Exception {
    try (var flink = new JobManagerRestStub(Mode.NOT_RUNNING)) {
      var o = trigger.checkpoint(flink.uri(), Duration.ofSeconds(10));
      assertThat(o.result()).isEqualTo(Result.NO_RUNNING_JOB);
      assertThat(o.detail()).contains("RESTARTING");
      assertThat(flink.triggers()).isZero();
    }
  }

  @Test
  void anOldFlinkWithoutTheTriggerEndpointIsABadResponse() throws Exception {
    var o = run(Mode.NO_TRIGGER_ENDPOINT, Duration.ofSeconds(10));
    assertThat(o.result()).isEqualTo(Result.BAD_RESPONSE);
    assertThat(o.detail()).contains("HTTP 404");
  }

  @Test
  void anOversizedAnswerIsRefusedBeforeParsing() throws Exception {
    var o = run(Mode.HUGE, Duration.ofSeconds(10));
    assertThat(o.result()).isEqualTo(Result.BAD_RESPONSE);
    assertThat(o.detail()).contains("larger than " + RestCheckpointTrigger.MAX_BODY_BYTES);
  }

  @Test
  void aCheckpointStillInProgressAtTheDeadlineTimesOut() throws Exception {
    var o = run(Mode.NEVER_DONE, Duration.ofMillis(600));
    assertThat(o.result()).isEqualTo(Result.TIMED_OUT);
    assertThat(o.took()).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aClosedPortIsUnreachable() throws Exception {
    int port;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var o = trigger.checkpoint(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5));
    assertThat(o.result()).isEqualTo(Result.UNREACHABLE);
    assertThat(o.jobId()).isNull();
  }

  @Test
  void aServerThatNeverAnswersIsCutAtTheRequestTimeout() throws Exception {
    // Accepts the connection (backlog) but never answers: the request timeout ends the wait.
    try (var silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var o =
          trigger.checkpoint(
              URI.create("http://127.0.0.1:" + silent.getLocalPort()), Duration.ofSeconds(1));
      assertThat(o.result()).isIn(Result.UNREACHABLE, Result.TIMED_OUT);
      assertThat(o.took()).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void restPortIsReadFromTheFlinkConfiguration() {
    var json = dev.flinkspot.common.Json.MAPPER.createObjectNode();
    var conf = json.putObject("spec").putObject("flinkConfiguration");
    assertThat(FlinkConfiguration.of(json).restPort()).isEqualTo(8081);
    conf.put("rest.port", "9091");
    assertThat(FlinkConfiguration.of(json).restPort()).isEqualTo(9091);
    conf.put("rest.port", "99999");
    assertThat(FlinkConfiguration.of(json).restPort()).isEqualTo(8081);
  }
}
