package dev.flinkspot.policy;

/** Whether TaskManagers must run on Spot nodes or merely prefer them. */
public enum SpotMode {
  /** Only Spot nodes; pods stay Pending while no Spot capacity exists. */
  Required,
  /** Spot preferred; On-Demand nodes are the fallback. */
  Preferred
}
