package dev.flinkspot.cost.nodes;

/** How EC2 capacity is bought. */
public enum CapacityType {
  ON_DEMAND,
  SPOT
}
