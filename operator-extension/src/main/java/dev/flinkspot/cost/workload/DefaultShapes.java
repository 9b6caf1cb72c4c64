package dev.flinkspot.cost.workload;

import java.math.BigDecimal;
import java.util.List;

/**
 * The deployment shape flinkspot assumes when the user gives only a parallelism: one JobManager of
 * 1 vCPU / 2 GiB, and TaskManagers of 1.75 vCPU / 7 GiB with 2 slots, two of which fill a 4 vCPU /
 * 16 GiB Spot node after EKS's reservations.
 */
public final class DefaultShapes {
  public static final PodShape JOB_MANAGER = new PodShape(BigDecimal.ONE, 2048L << 20);
  public static final PodShape TASK_MANAGER = new PodShape(new BigDecimal("1.75"), 7168L << 20);
  public static final int SLOTS_PER_TASK_MANAGER = 2;

  private DefaultShapes() {}

  /** A deployment of the default shape sized for {@code parallelism}. */
  public static FlinkWorkload forParallelism(int parallelism) {
    int taskManagers = FlinkDeploymentWorkloads.ceilDiv(parallelism, SLOTS_PER_TASK_MANAGER);
    return new FlinkWorkload(
        "default-shape",
        null,
        parallelism,
        "--parallelism",
        JOB_MANAGER,
        1,
        TASK_MANAGER,
        taskManagers,
        SLOTS_PER_TASK_MANAGER,
        List.of(
            "default shape: 1 JobManager (1 vCPU, 2 GiB); TaskManagers of 1.75 vCPU, 7 GiB, "
                + SLOTS_PER_TASK_MANAGER
                + " slots"));
  }
}
