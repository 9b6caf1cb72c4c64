package dev.flinkspot.cost.nodes;

import java.util.List;

/** A group of EC2 nodes: how it is bought, the instance types it may launch, its root volume. */
public record NodeGroup(
    String name, CapacityType capacity, List<String> instanceTypes, int volumeSizeGb) {

  /** eksctl's default root volume for managed node groups (80 GiB gp3). */
  public static final int DEFAULT_VOLUME_GB = 80;

  public NodeGroup {
    instanceTypes = List.copyOf(instanceTypes);
    if (instanceTypes.isEmpty()) {
      throw new IllegalArgumentException("node group " + name + " has no instance types");
    }
  }
}
