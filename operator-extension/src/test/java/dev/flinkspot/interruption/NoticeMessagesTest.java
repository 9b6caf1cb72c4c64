package dev.flinkspot.interruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.flink.CheckpointOutcome;
import dev.flinkspot.flink.CheckpointOutcome.Result;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Event wording names the node, the signal, the pods, and for a failure the fix. */
class NoticeMessagesTest {

  private static final URI REST = URI.create("http://ticker-rest.a.svc:8081");

  @Test
  void noticeNamesNodeSignalAndTaskManagers() {
    var a =
        new NodeNotice.Affected(
            new NodeNotice.DeploymentRef("a", "ticker"),
            "ip-10-0-1-2",
            NoticeSignal.KARPENTER_DISRUPTED,
            List.of("ticker-tm-1", "ticker-tm-2"));
    assertThat(NoticeMessages.nodeOf(NoticeMessages.notice(a))).contains("ip-10-0-1-2");
    assertThat(NoticeMessages.nodeOf("something else")).isEmpty();
    assertThat(NoticeMessages.signalOf(NoticeMessages.notice(a))).contains("karpenter-disrupted");
    assertThat(NoticeMessages.notice(a))
        .contains(
            "ip-10-0-1-2",
            "karpenter-disrupted",
            "karpenter.sh/disrupted",
            "ticker-tm-1, ticker-tm-2");
  }

  @Test
  void completedGivesIdAndSeconds() {
    var o = new CheckpointOutcome(Result.COMPLETED, "j", 42, Duration.ofMillis(1234), null);
    assertThat(NoticeMessages.checkpoint("n1", REST, o)).contains("checkpoint 42", "1.2 s", "n1");
  }

  /** A new leader reads the node back from every outcome's wording, to count it once. */
  @Test
  void everyOutcomeNamesItsNode() {
    String node = "ip-10-0-1-2.ec2.internal";
    for (Result r : Result.values()) {
      var o = new CheckpointOutcome(r, "j", 42, Duration.ofSeconds(3), "why");
      assertThat(NoticeMessages.checkpointNodeOf(NoticeMessages.checkpoint(node, REST, o)))
          .as(r.name())
          .contains(node);
    }
    assertThat(
            NoticeMessages.checkpointNodeOf(
                "no checkpoint on the notice of n-7: too many notices at once"))
        .contains("n-7");
    assertThat(NoticeMessages.checkpointNodeOf("something else")).isEmpty();
  }

  @Test
  void unreachableNamesTheNetworkPolicyFixAndThePort() {
    var o = new CheckpointOutcome(Result.UNREACHABLE, null, -1, Duration.ofSeconds(2), "refused");
    assertThat(NoticeMessages.checkpoint("n1", REST, o))
        .contains("ticker-rest.a.svc:8081", "NetworkPolicy", "port 8081", "refused");
  }
}
