package dev.flinkspot.cost.nodes;

import java.util.List;

/**
 * Where a Flink deployment's pods run: an On-Demand group for JobManagers and a (diversified) Spot
 * group for TaskManagers, and whether the shape came from the user or from our defaults.
 */
public record ClusterNodeGroups(NodeGroup jobManagers, NodeGroup taskManagers, String origin) {

  /**
   * The default layout, the one {@code eksctl/cluster.yaml} creates: m5.large On-Demand nodes for
   * JobManagers, and six 4 vCPU / 16 GiB types for Spot TaskManagers.
   */
  public static ClusterNodeGroups defaults() {
    return new ClusterNodeGroups(
        new NodeGroup(
            "jobmanagers-on-demand",
            CapacityType.ON_DEMAND,
            List.of("m5.large"),
            NodeGroup.DEFAULT_VOLUME_GB),
        new NodeGroup(
            "taskmanagers-spot",
            CapacityType.SPOT,
            List.of(
                "m5.xlarge", "m5a.xlarge", "m5d.xlarge", "m6i.xlarge", "m6a.xlarge", "m7i.xlarge"),
            NodeGroup.DEFAULT_VOLUME_GB),
        "built-in defaults (as in eksctl/cluster.yaml)");
  }
}
