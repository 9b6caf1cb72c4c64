package dev.flinkspot.cost.nodes;

import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.workload.PodShape;
import java.util.List;

/**
 * Where a Flink deployment's pods run: an On-Demand group for JobManagers and a (diversified) Spot
 * group for TaskManagers, the cluster's system node group (CoreDNS, the controllers: every cluster
 * pays for it, the jobs of a shared cluster share it), and whether the shape came from the user or
 * from our defaults.
 *
 * @param system the system node group, or null when the cluster config has none
 * @param systemNodes how many nodes the system group runs
 */
public record ClusterNodeGroups(
    NodeGroup jobManagers,
    NodeGroup taskManagers,
    NodeGroup system,
    int systemNodes,
    String origin) {

  /** eksctl/cluster.yaml's system group: 2 × m5.large (desiredCapacity 2), 50 GB root volumes. */
  public static final NodeGroup DEFAULT_SYSTEM =
      new NodeGroup("system", CapacityType.ON_DEMAND, List.of("m5.large"), 50);

  public static final int DEFAULT_SYSTEM_NODES = 2;

  /** eksctl/cluster.yaml's JobManager family and its root volume. */
  static final List<String> JOB_MANAGER_FAMILIES = List.of("m5");

  static final int JOB_MANAGER_VOLUME_GB = 50;

  /** eksctl/cluster.yaml's seven Spot TaskManager families (one shape: 4 GiB per vCPU). */
  static final List<String> TASK_MANAGER_FAMILIES =
      List.of("m5", "m5a", "m5d", "m6i", "m6a", "m7i", "m7a");

  static final int TASK_MANAGER_VOLUME_GB = 80;

  /** Sizes tried in order; the defaults start at eksctl/cluster.yaml's (JM large, TM xlarge). */
  static final List<String> SIZES = List.of("large", "xlarge", "2xlarge", "4xlarge");

  /** Without a system group (a config that names none). */
  public ClusterNodeGroups(NodeGroup jobManagers, NodeGroup taskManagers, String origin) {
    this(jobManagers, taskManagers, null, 0, origin);
  }

  /**
   * The default layout, the one {@code eksctl/cluster.yaml} creates: m5.large On-Demand nodes for
   * JobManagers, seven 4 vCPU / 16 GiB types for Spot TaskManagers, 2 × m5.large system nodes.
   */
  public static ClusterNodeGroups defaults() {
    return new ClusterNodeGroups(
        jobManagerGroup("large"),
        taskManagerGroup("xlarge"),
        DEFAULT_SYSTEM,
        DEFAULT_SYSTEM_NODES,
        "built-in defaults (as in eksctl/cluster.yaml)");
  }

  /**
   * The default layout with node sizes that fit: for the JobManager and for the TaskManager, the
   * smallest size of the default families, no smaller than eksctl/cluster.yaml's, whose allocatable
   * resources take one pod. A pod larger than a 4xlarge keeps the 4xlarge (the report then says it
   * does not fit).
   */
  public static ClusterNodeGroups defaultsFitting(
      PodShape jobManager, PodShape taskManager, PriceCatalog catalog) {
    String jmSize = smallestFitting(JOB_MANAGER_FAMILIES, 0, jobManager, catalog);
    String tmSize = smallestFitting(TASK_MANAGER_FAMILIES, 1, taskManager, catalog);
    boolean resized = !jmSize.equals("large") || !tmSize.equals("xlarge");
    return new ClusterNodeGroups(
        jobManagerGroup(jmSize),
        taskManagerGroup(tmSize),
        DEFAULT_SYSTEM,
        DEFAULT_SYSTEM_NODES,
        "built-in defaults (eksctl/cluster.yaml's families"
            + (resized
                ? ", sized up to the smallest size the pods fit: JobManagers "
                    + jmSize
                    + ", TaskManagers "
                    + tmSize
                : "")
            + ")");
  }

  private static String smallestFitting(
      List<String> families, int fromSize, PodShape pod, PriceCatalog catalog) {
    for (String size : SIZES.subList(fromSize, SIZES.size())) {
      boolean fitsAll =
          families.stream()
              .allMatch(
                  family ->
                      NodeAllocatable.of(catalog.instanceType(family + "." + size))
                              .podsThatFit(pod.cpu(), pod.memoryGiB())
                          > 0);
      if (fitsAll) {
        return size;
      }
    }
    return SIZES.get(SIZES.size() - 1);
  }

  private static NodeGroup jobManagerGroup(String size) {
    return sized(
        "jobmanagers-on-demand",
        CapacityType.ON_DEMAND,
        JOB_MANAGER_FAMILIES,
        size,
        JOB_MANAGER_VOLUME_GB);
  }

  private static NodeGroup taskManagerGroup(String size) {
    return sized(
        "taskmanagers-spot",
        CapacityType.SPOT,
        TASK_MANAGER_FAMILIES,
        size,
        TASK_MANAGER_VOLUME_GB);
  }

  private static NodeGroup sized(
      String name, CapacityType capacity, List<String> families, String size, int volumeGb) {
    return new NodeGroup(
        name, capacity, families.stream().map(f -> f + "." + size).toList(), volumeGb);
  }
}
