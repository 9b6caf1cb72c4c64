package dev.flinkspot.plan;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.workload.PodShape;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many TaskManagers an ingest rate needs, from AWS's sizing rule for Managed Flink: 1 KPU (1
 * vCPU, 4 GB) per MB/s. A node of the chosen shape carries one TaskManager per 2 vCPUs; each
 * requests 1.75 of those vCPUs and 7/8 of their memory (the rest is EKS's kubelet reservation and
 * the node DaemonSets) and has 2 slots. So one slot stands for one KPU at the EC2 level: 1 vCPU and
 * 4 GiB per MB/s, as on Managed Flink.
 *
 * @param kpus the KPUs the rule gives (MB/s rounded up): MSF's parallelism for the same job
 * @param taskManagers TaskManager pods
 * @param slotsPerTaskManager task slots per TaskManager
 * @param taskManagersPerNode TaskManagers one node of the shape carries
 * @param nodes Spot nodes for the TaskManagers
 * @param taskManager what each TaskManager pod requests
 */
public record Sizing(
    int kpus,
    int taskManagers,
    int slotsPerTaskManager,
    int taskManagersPerNode,
    int nodes,
    PodShape taskManager) {
  static final int VCPU_PER_TASKMANAGER = 2;
  static final int SLOTS_PER_TASKMANAGER = 2;
  static final BigDecimal TASKMANAGER_CPU = new BigDecimal("1.75");
  static final BigDecimal REQUEST_FRACTION = new BigDecimal("0.875");
  static final BigDecimal GIB_PER_KPU = BigDecimal.valueOf(4);

  /** A quarter of Flink's 32768 key groups: room for the HPA to double twice. */
  static final int MAX_KPUS = 8192;

  /** The sizing for {@code ingestMbPerS} on nodes of {@code shape}. */
  public static Sizing of(BigDecimal ingestMbPerS, NodeShape shape) {
    if (ingestMbPerS == null || ingestMbPerS.signum() <= 0) {
      throw new UserInputException(
          "--ingest-mb-per-s = "
              + (ingestMbPerS == null ? "(none)" : ingestMbPerS.toPlainString())
              + ": use a positive rate in MB/s, e.g. 10");
    }
    if (shape.vcpu() < VCPU_PER_TASKMANAGER || shape.vcpu() % VCPU_PER_TASKMANAGER != 0) {
      throw new UserInputException(
          "--node-shape "
              + shape
              + ": use an even number of vCPUs (TaskManagers take 2 each), e.g. 4x16");
    }
    if (ingestMbPerS.compareTo(BigDecimal.valueOf(MAX_KPUS)) > 0) {
      throw new UserInputException(
          "--ingest-mb-per-s = "
              + ingestMbPerS.toPlainString()
              + ": more than "
              + MAX_KPUS
              + " MB/s for one job (Flink's key groups allow at most 32768 parallel subtasks, and"
              + " reactive scaling needs headroom): split the stream across several jobs");
    }
    int kpus = ingestMbPerS.setScale(0, RoundingMode.CEILING).intValueExact();
    int taskManagers = Math.floorDiv(kpus + SLOTS_PER_TASKMANAGER - 1, SLOTS_PER_TASKMANAGER);
    int perNode = shape.vcpu() / VCPU_PER_TASKMANAGER;
    int nodes = Math.floorDiv(taskManagers + perNode - 1, perNode);
    // 7/8 of the node's memory per 2 vCPUs, in whole MiB.
    long memoryMib =
        shape
            .memoryGiB()
            .multiply(BigDecimal.valueOf(1024L * VCPU_PER_TASKMANAGER))
            .divide(BigDecimal.valueOf(shape.vcpu()), 0, RoundingMode.DOWN)
            .multiply(REQUEST_FRACTION)
            .setScale(0, RoundingMode.DOWN)
            .longValueExact();
    return new Sizing(
        kpus,
        taskManagers,
        SLOTS_PER_TASKMANAGER,
        perNode,
        nodes,
        new PodShape(TASKMANAGER_CPU, memoryMib << 20));
  }

  /** Refuses a shape with less memory per vCPU than a KPU has (4 GiB per vCPU). */
  public static void requireKpuMemory(NodeShape shape) {
    BigDecimal gibPerVcpu =
        shape.memoryGiB().divide(BigDecimal.valueOf(shape.vcpu()), 6, RoundingMode.DOWN);
    if (gibPerVcpu.compareTo(GIB_PER_KPU) < 0) {
      throw new UserInputException(
          "--node-shape "
              + shape
              + " has "
              + gibPerVcpu.stripTrailingZeros().toPlainString()
              + " GiB per vCPU; the KPU rule needs 4 GiB per vCPU: use e.g. 4x16 or 4x32");
    }
  }

  public int parallelism() {
    return taskManagers * slotsPerTaskManager;
  }

  /** The TaskManager memory as Flink writes it, e.g. {@code 7168m}. */
  public String taskManagerMemory() {
    return (taskManager.memoryBytes() >> 20) + "m";
  }
}
