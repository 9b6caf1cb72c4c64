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
 * @param shuffleMbPerS MB/s the TaskManagers exchange over the network (keyed shuffles), or null
 *     when not known (inter-AZ transfer is then not counted, and the report says so)
 * @param taskManagerZones availability zones the TaskManagers spread over (1 = single-zone)
 */
public record CostOptions(
    BigDecimal hours,
    int parallelismPerKpu,
    boolean msfRunningStorage,
    boolean msfDurableBackups,
    BigDecimal stateGb,
    int clusterJobs,
    SelfManagedView view,
    BigDecimal shuffleMbPerS,
    int taskManagerZones) {

  public static final BigDecimal DEFAULT_HOURS = BigDecimal.valueOf(730);

  /** eksctl/cluster.yaml spreads the Spot TaskManager groups over three zones. */
  public static final int DEFAULT_ZONES = 3;

  /** A plausible ceiling for one job's shuffle: 100 GB/s. */
  static final BigDecimal MAX_SHUFFLE_MB_PER_S = BigDecimal.valueOf(100_000);

  /** The options without a shuffle rate (inter-AZ transfer not counted), over three zones. */
  public CostOptions(
      BigDecimal hours,
      int parallelismPerKpu,
      boolean msfRunningStorage,
      boolean msfDurableBackups,
      BigDecimal stateGb,
      int clusterJobs,
      SelfManagedView view) {
    this(
        hours,
        parallelismPerKpu,
        msfRunningStorage,
        msfDurableBackups,
        stateGb,
        clusterJobs,
        view,
        null,
        DEFAULT_ZONES);
  }

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
    if (view == null) {
      view = headlineViewFor(clusterJobs);
    }
    if (shuffleMbPerS != null
        && (shuffleMbPerS.signum() < 0 || shuffleMbPerS.compareTo(MAX_SHUFFLE_MB_PER_S) > 0)) {
      throw new UserInputException(
          "--shuffle-mb-per-s = "
              + shuffleMbPerS.toPlainString()
              + ": use the MB/s your TaskManagers exchange, 0 to "
              + MAX_SHUFFLE_MB_PER_S.toPlainString()
              + " (e.g. the ingest rate for a keyed job)");
    }
    if (taskManagerZones < 1 || taskManagerZones > 6) {
      throw new UserInputException(
          "--zones = "
              + taskManagerZones
              + ": use the availability zones TaskManagers spread over, 1 to 6");
    }
  }

  /**
   * The bill a user actually pays: alone on a cluster (one job) the whole nodes are theirs, so the
   * dedicated view; several jobs on one cluster pack their pods onto shared nodes, so each pays its
   * share.
   */
  public static SelfManagedView headlineViewFor(int clusterJobs) {
    return clusterJobs > 1 ? SelfManagedView.SHARED : SelfManagedView.DEDICATED;
  }

  /** The same options with a shuffle rate and a zone count. */
  public CostOptions withShuffle(BigDecimal mbPerS, int zones) {
    return new CostOptions(
        hours,
        parallelismPerKpu,
        msfRunningStorage,
        msfDurableBackups,
        stateGb,
        clusterJobs,
        view,
        mbPerS,
        zones);
  }

  public static CostOptions defaults() {
    return new CostOptions(
        DEFAULT_HOURS, 1, true, false, BigDecimal.ZERO, 1, SelfManagedView.DEDICATED);
  }

  /** Which self-managed figure is the headline. */
  public enum SelfManagedView {
    /** Pods bin-packed onto whole nodes that serve only this job. */
    DEDICATED,
    /** The pods' share of nodes shared with other workloads. */
    SHARED
  }
}
