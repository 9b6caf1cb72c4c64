package dev.flinkspot.interruption;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Node state that means "this node is about to be reclaimed". Read from the Node only: the
 * controller never consumes the SQS queue that NTH or Karpenter already reads (a second consumer
 * takes their messages). Facts and sources: /work/shared/design/SPOT-NOTICES.md.
 */
public enum NoticeSignal {
  /**
   * aws-node-termination-handler's Spot interruption taint (with Helm {@code taintNode: true}); the
   * value is the event id. Source: aws/aws-node-termination-handler {@code pkg/node/node.go}
   * ({@code SpotInterruptionTaint = "aws-node-termination-handler/spot-itn"}).
   */
  NTH_SPOT_INTERRUPTION("aws-node-termination-handler/spot-itn"),
  /**
   * Karpenter v1 taints a node it is about to disrupt (a Spot interruption from its SQS queue among
   * others) with {@code karpenter.sh/disrupted:NoSchedule}. Source: kubernetes-sigs/karpenter
   * {@code pkg/apis/v1/taints.go} ({@code DisruptedTaintKey}).
   */
  KARPENTER_DISRUPTED("karpenter.sh/disrupted"),
  /**
   * A cordoned ({@code spec.unschedulable}) Spot node: EKS managed node groups' Capacity
   * Rebalancing cordons, then drains a Spot node on the notice and sets no taint of its own
   * (docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html, "Spot Instances"). Only a
   * Spot node counts: cordoning an On-Demand node is maintenance, not a reclaim.
   */
  CORDONED_SPOT_NODE(null),
  /**
   * NTH's rebalance recommendation taint (same file, {@code RebalanceRecommendationTaint}). A
   * rebalance recommendation is not a reclaim: it counts only when the policy says so.
   */
  NTH_REBALANCE_RECOMMENDATION("aws-node-termination-handler/rebalance-recommendation");

  private final String taintKey;

  NoticeSignal(String taintKey) {
    this.taintKey = taintKey;
  }

  /** The taint key, or null for {@link #CORDONED_SPOT_NODE}. */
  public String taintKey() {
    return taintKey;
  }

  /** The metric label and Event wording: lower case, dashes. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Whether the node shows anything that may be a notice (the informer's cheap filter). */
  public static boolean mayShow(Node node) {
    return !shownBy(node, null, List.of()).isEmpty()
        || (node != null
            && node.getSpec() != null
            && Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
  }

  /**
   * Every signal the node shows now, whatever a policy counts.
   *
   * @param capacityKey the node label that tells Spot from On-Demand (the policy's), or null
   * @param spotValues its values that mean Spot
   */
  public static Set<NoticeSignal> shownBy(Node node, String capacityKey, List<String> spotValues) {
    Set<NoticeSignal> out = EnumSet.noneOf(NoticeSignal.class);
    if (node == null || node.getSpec() == null) {
      return out;
    }
    List<Taint> taints = node.getSpec().getTaints();
    if (taints != null) {
      for (Taint taint : taints) {
        for (NoticeSignal s : values()) {
          if (s.taintKey != null && s.taintKey.equals(taint.getKey())) {
            out.add(s);
          }
        }
      }
    }
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())
        && isSpot(node, capacityKey, spotValues)) {
      out.add(CORDONED_SPOT_NODE);
    }
    return out;
  }

  /**
   * The signal that counts as a reclaim notice among {@code shown}, the strongest first (NTH's
   * interruption, Karpenter's disruption, a cordoned Spot node, then a rebalance recommendation
   * when {@code rebalanceCounts}: the declaration order); empty when none counts.
   */
  public static Optional<NoticeSignal> counted(Set<NoticeSignal> shown, boolean rebalanceCounts) {
    for (NoticeSignal s : values()) {
      if (shown.contains(s) && (s != NTH_REBALANCE_RECOMMENDATION || rebalanceCounts)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * Spot by the policy's capacity label (EKS managed node groups label {@code
   * eks.amazonaws.com/capacityType=SPOT}, Karpenter {@code karpenter.sh/capacity-type=spot}).
   */
  static boolean isSpot(Node node, String capacityKey, List<String> spotValues) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return capacityKey != null && labels != null && spotValues.contains(labels.get(capacityKey));
  }
}
