package dev.flinkspot.cost.workload;

import java.util.List;

/**
 * What a Flink deployment runs, as far as cost is concerned: its parallelism (and where that figure
 * came from), and the shape and count of its JobManager and TaskManager pods.
 *
 * @param msfApplications the parallelism of each MSF application this workload would be, when it is
 *     more than one (a session cluster's FlinkSessionJobs); empty: one application of {@code
 *     parallelism}
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
    List<String> notes,
    List<Integer> msfApplications) {

  public FlinkWorkload {
    notes = List.copyOf(notes);
    msfApplications = List.copyOf(msfApplications);
  }

  /** One workload that would be one MSF application. */
  public FlinkWorkload(
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
    this(
        name,
        namespace,
        parallelism,
        parallelismSource,
        jobManager,
        jobManagerReplicas,
        taskManager,
        taskManagerReplicas,
        slotsPerTaskManager,
        notes,
        List.of());
  }

  /** The parallelism of each MSF application: {@link #msfApplications}, or {@code parallelism}. */
  public List<Integer> msfApplicationParallelisms() {
    return msfApplications.isEmpty() ? List.of(parallelism) : msfApplications;
  }

  /** {@code namespace/name}, or just the name when the manifest has no namespace. */
  public String qualifiedName() {
    return namespace == null || namespace.isBlank() ? name : namespace + "/" + name;
  }
}
