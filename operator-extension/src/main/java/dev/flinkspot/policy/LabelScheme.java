package dev.flinkspot.policy;

import java.util.List;

/** The node label schemes that tell On-Demand from Spot capacity. */
public enum LabelScheme {
  /** EKS managed node groups: {@code eks.amazonaws.com/capacityType=ON_DEMAND|SPOT}. */
  EksManagedNodeGroup("eks.amazonaws.com/capacityType", List.of("ON_DEMAND"), List.of("SPOT")),
  /** Karpenter: {@code karpenter.sh/capacity-type=on-demand|spot}. */
  Karpenter("karpenter.sh/capacity-type", List.of("on-demand"), List.of("spot")),
  /** A key and values the policy names itself. */
  Custom(null, List.of(), List.of());

  private final String key;
  private final List<String> onDemandValues;
  private final List<String> spotValues;

  LabelScheme(String key, List<String> onDemandValues, List<String> spotValues) {
    this.key = key;
    this.onDemandValues = onDemandValues;
    this.spotValues = spotValues;
  }

  /** The label key, or null for {@link #Custom}. */
  public String key() {
    return key;
  }

  public List<String> onDemandValues() {
    return onDemandValues;
  }

  public List<String> spotValues() {
    return spotValues;
  }
}
