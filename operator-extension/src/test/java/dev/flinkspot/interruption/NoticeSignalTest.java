package dev.flinkspot.interruption;

import static dev.flinkspot.interruption.NoticeFixtures.EKS_CAPACITY;
import static dev.flinkspot.interruption.NoticeFixtures.node;
import static dev.flinkspot.interruption.NoticeFixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each signal and non-signal. Taint keys from aws/aws-node-termination-handler {@code
 * pkg/node/node.go} (SpotInterruptionTaint, RebalanceRecommendationTaint,
 * ScheduledMaintenanceTaint, ASGLifecycleTerminationTaint) and kubernetes-sigs/karpenter {@code
 * pkg/apis/v1/taints.go} (DisruptedTaintKey); the cordon from the EKS managed node group docs
 * (Capacity Rebalancing).
 */
class NoticeSignalTest {

  private static Optional<NoticeSignal> counted(Node n, boolean rebalanceCounts) {
    return NoticeSignal.counted(
        NoticeSignal.shownBy(n, EKS_CAPACITY, List.of("SPOT")), rebalanceCounts);
  }

  @Test
  void nthSpotInterruptionTaintIsANotice() {
    // NTH sets the taint value to the interruption event id.
    var n =
        node("n1", "SPOT", false, taint("aws-node-termination-handler/spot-itn", "spot-itn-8a1f"));
    assertThat(counted(n, false)).contains(NoticeSignal.NTH_SPOT_INTERRUPTION);
    assertThat(NoticeSignal.mayShow(n)).isTrue();
  }

  @Test
  void nthRebalanceRecommendationCountsOnlyWhenThePolicySaysSo() {
    var n =
        node(
            "n1",
            "SPOT",
            false,
            taint("aws-node-termination-handler/rebalance-recommendation", "rr-1"));
    assertThat(counted(n, false)).isEmpty();
    assertThat(counted(n, true)).contains(NoticeSignal.NTH_REBALANCE_RECOMMENDATION);
  }

  @Test
  void nthMaintenanceAndLifecycleTaintsAreNoSpotNotice() {
    var n =
        node(
            "n1",
            "SPOT",
            false,
            taint("aws-node-termination-handler/scheduled-maintenance", "x"),
            taint("aws-node-termination-handler/asg-lifecycle-termination", "y"));
    assertThat(counted(n, true)).isEmpty();
  }

  @Test
  void karpenterDisruptedTaintIsANotice() {
    var n = node("n1", "SPOT", false, taint("karpenter.sh/disrupted", null));
    assertThat(counted(n, false)).contains(NoticeSignal.KARPENTER_DISRUPTED);
  }

  @Test
  void aCordonedSpotNodeIsANoticeAndACordonedOnDemandNodeIsNot() {
    assertThat(counted(node("n1", "SPOT", true), false)).contains(NoticeSignal.CORDONED_SPOT_NODE);
    assertThat(counted(node("n1", "ON_DEMAND", true), false)).isEmpty();
    // The policy's capacity label decides: a Karpenter-labelled node under a Karpenter policy.
    var karpenter = node("k1", "x", true);
    karpenter.getMetadata().getLabels().put("karpenter.sh/capacity-type", "spot");
    assertThat(
            NoticeSignal.counted(
                NoticeSignal.shownBy(karpenter, "karpenter.sh/capacity-type", List.of("spot")),
                false))
        .contains(NoticeSignal.CORDONED_SPOT_NODE);
  }

  @Test
  void anUntaintedSchedulableNodeOrOtherTaintsShowNothing() {
    var plain = node("n1", "SPOT", false);
    assertThat(counted(plain, true)).isEmpty();
    assertThat(NoticeSignal.mayShow(plain)).isFalse();
    var other = node("n2", "SPOT", false, taint("node.kubernetes.io/not-ready", null));
    assertThat(counted(other, true)).isEmpty();
    assertThat(NoticeSignal.mayShow(other)).isFalse();
    assertThat(NoticeSignal.mayShow(null)).isFalse();
  }

  @Test
  void theStrongestSignalIsNamedWhenSeveralShow() {
    var n =
        node(
            "n1",
            "SPOT",
            true,
            taint("aws-node-termination-handler/rebalance-recommendation", "rr"),
            taint("karpenter.sh/disrupted", null),
            taint("aws-node-termination-handler/spot-itn", "itn"));
    assertThat(counted(n, true)).contains(NoticeSignal.NTH_SPOT_INTERRUPTION);
    assertThat(NoticeSignal.NTH_SPOT_INTERRUPTION.label()).isEqualTo("nth-spot-interruption");
  }
}
