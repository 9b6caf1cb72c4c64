package dev.flinkspot.cost.live;

import dev.flinkspot.cost.nodes.CapacityType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A node as the cluster reports it: its name and the labels that price it. */
public record ObservedNode(String name, Map<String, String> labels) {
  public static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  public static final String EKS_CAPACITY = "eks.amazonaws.com/capacityType";
  public static final String KARPENTER_CAPACITY = "karpenter.sh/capacity-type";

  public ObservedNode {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public Optional<String> instanceType() {
    return Optional.ofNullable(labels.get(INSTANCE_TYPE));
  }

  /**
   * Spot or On-Demand from the EKS managed node group label or Karpenter's; a node with neither is
   * taken as On-Demand (what EC2 bills by default), which the report states.
   */
  public Optional<CapacityType> capacityType() {
    String value = labels.getOrDefault(EKS_CAPACITY, labels.get(KARPENTER_CAPACITY));
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(
        value.toLowerCase(Locale.ROOT).replace('_', '-').equals("spot")
            ? CapacityType.SPOT
            : CapacityType.ON_DEMAND);
  }
}
