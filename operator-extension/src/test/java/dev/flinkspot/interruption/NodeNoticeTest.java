package dev.flinkspot.interruption;

import static dev.flinkspot.interruption.NoticeFixtures.EKS;
import static dev.flinkspot.interruption.NoticeFixtures.flinkPod;
import static dev.flinkspot.interruption.NoticeFixtures.node;
import static dev.flinkspot.interruption.NoticeFixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which deployments a node's notice affects. */
class NodeNoticeTest {

  private static final Set<DeploymentRef> GOVERNED =
      Set.of(new DeploymentRef("a", "ticker"), new DeploymentRef("a", "jm-only"));

  private static Optional<NodeNotice.Handling> governed(DeploymentRef ref) {
    return GOVERNED.contains(ref) ? Optional.of(EKS) : Optional.empty();
  }

  private final io.fabric8.kubernetes.api.model.Node tainted =
      node("n1", "SPOT", false, taint("aws-node-termination-handler/spot-itn", "e1"));

  @Test
  void oneEntryPerGovernedDeploymentWithItsTaskManagersOnTheNode() {
    var pods =
        List.of(
            flinkPod("a", "ticker", "taskmanager", "ticker-tm-2", "Running"),
            flinkPod("a", "ticker", "taskmanager", "ticker-tm-1", "Running"),
            flinkPod("a", "ticker", "jobmanager", "ticker-jm", "Running"));
    var affected = NodeNotice.affected(tainted, pods, NodeNoticeTest::governed);
    assertThat(affected)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.deployment()).isEqualTo(new DeploymentRef("a", "ticker"));
              assertThat(a.node()).isEqualTo("n1");
              assertThat(a.signal()).isEqualTo(NoticeSignal.NTH_SPOT_INTERRUPTION);
              assertThat(a.taskManagers()).containsExactly("ticker-tm-1", "ticker-tm-2");
            });
  }

  @Test
  void aJobManagerAloneOnTheNodeIsNotAffected() {
    var pods = List.of(flinkPod("a", "jm-only", "jobmanager", "jm-only-jm", "Running"));
    assertThat(NodeNotice.affected(tainted, pods, NodeNoticeTest::governed)).isEmpty();
  }

  @Test
  void anUngovernedDeploymentIsNotAffected() {
    var pods = List.of(flinkPod("a", "free", "taskmanager", "free-tm-1", "Running"));
    assertThat(NodeNotice.affected(tainted, pods, NodeNoticeTest::governed)).isEmpty();
  }

  @Test
  void anUntaintedNodeAffectsNobody() {
    var pods = List.of(flinkPod("a", "ticker", "taskmanager", "ticker-tm-1", "Running"));
    assertThat(NodeNotice.affected(node("n1", "SPOT", false), pods, NodeNoticeTest::governed))
        .isEmpty();
  }

  @Test
  void finishedTaskManagersAndOtherAppsPodsAreIgnored() {
    var other = flinkPod("a", "ticker", "taskmanager", "web-1", "Running");
    other.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of("app", "ticker")));
    var pods = List.of(flinkPod("a", "ticker", "taskmanager", "ticker-tm-old", "Failed"), other);
    assertThat(NodeNotice.affected(tainted, pods, NodeNoticeTest::governed)).isEmpty();
  }

  @Test
  void theSameNameInTwoNamespacesIsTwoDeployments() {
    var pods =
        List.of(
            flinkPod("a", "ticker", "taskmanager", "ticker-tm-1", "Running"),
            flinkPod("b", "ticker", "taskmanager", "ticker-tm-1", "Running"));
    var affected = NodeNotice.affected(tainted, pods, ref -> Optional.of(EKS));
    assertThat(affected)
        .extracting(NodeNotice.Affected::deployment)
        .containsExactly(new DeploymentRef("a", "ticker"), new DeploymentRef("b", "ticker"));
  }
}
