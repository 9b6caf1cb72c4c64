package dev.flinkspot.cost.workload;

import java.util.List;

/**
 * What a Flink deployment runs, as far as cost is concerned: its parallelism (and where that figure
 * came from), and the shape and count of its JobManager and TaskManager pods.
 */
public record FlinkWorkload(
    String name,
    String namespace,
    int parallelism,
    String parallelismSource,
    PodShape jobManager,
    int jobManagerReplicas,
    PodShape taskManager,
    int taskManagerReplicas,
    int slotsPerTaskManager,
    List<String> notes) {

  public FlinkWorkload {
    notes = List.copyOf(notes);
  }

  /** {@code namespace/name}, or just the name when the manifest has no namespace. */
  public String qualifiedName() {
    return namespace == null || namespace.isBlank() ? name : namespace + "/" + name;
  }
}
