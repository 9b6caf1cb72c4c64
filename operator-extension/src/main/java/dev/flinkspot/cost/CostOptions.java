package dev.flinkspot.cost;

import dev.flinkspot.common.UserInputException;
import java.math.BigDecimal;

/**
 * The knobs of a comparison, with the defaults the CLI documents.
 *
 * @param hours how long both sides run (730 = one month)
 * @param parallelismPerKpu MSF's ParallelismPerKPU (1..8)
 * @param msfRunningStorage bill MSF running application storage (50 GB per KPU)
 * @param msfDurableBackups bill MSF durable application backups of {@code stateGb}
 * @param stateGb checkpoint state size: S3 on the self-managed side, backups on MSF's
 * @param clusterJobs how many jobs share the EKS cluster (amortises the control plane)
 * @param view which self-managed view the headline total and the savings use
 */
public record CostOptions(
    BigDecimal hours,
    int parallelismPerKpu,
    boolean msfRunningStorage,
    boolean msfDurableBackups,
    BigDecimal stateGb,
    int clusterJobs,
    SelfManagedView view) {

  public static final BigDecimal DEFAULT_HOURS = BigDecimal.valueOf(730);

  public CostOptions {
    if (hours == null || hours.signum() <= 0) {
      throw new UserInputException("--hours must be a positive number of hours (730 = one month)");
    }
    if (parallelismPerKpu < 1 || parallelismPerKpu > 8) {
      throw new UserInputException(
          "--parallelism-per-kpu = " + parallelismPerKpu + ": MSF allows 1 to 8");
    }
    if (stateGb == null || stateGb.signum() < 0) {
      throw new UserInputException("--state-gb must be zero or a positive number of GB");
    }
    if (clusterJobs < 1) {
      throw new UserInputException("--cluster-jobs must be a positive number of jobs");
    }
  }

  public static CostOptions defaults() {
    return new CostOptions(
        DEFAULT_HOURS, 1, true, false, BigDecimal.ZERO, 1, SelfManagedView.DEDICATED);
  }

  /** The same knobs over another number of hours (e.g. one, for a rate per hour). */
  public CostOptions withHours(BigDecimal newHours) {
    return new CostOptions(
        newHours,
        parallelismPerKpu,
        msfRunningStorage,
        msfDurableBackups,
        stateGb,
        clusterJobs,
        view);
  }

  /** Which self-managed figure is the headline. */
  public enum SelfManagedView {
    /** Pods bin-packed onto whole nodes that serve only this job. */
    DEDICATED,
    /** The pods' share of nodes shared with other workloads. */
    SHARED
  }
}
