package dev.flinkspot.cost;

import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.workload.FlinkWorkload;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One job, both bills: MSF (by parallelism, and resource-equivalent) and self-managed on EKS (two
 * views), the savings of the chosen view, and every assumption the numbers rest on.
 */
public record CostComparison(
    FlinkWorkload workload,
    String region,
    CostOptions options,
    ClusterNodeGroups nodeGroups,
    ManagedFlinkBill managed,
    ManagedFlinkBill managedResourceEquivalent,
    SelfManagedBill selfManaged,
    List<String> assumptions,
    LocalDate pricesAsOf) {

  /** Compares the two ways of running {@code workload}. Pure: no I/O. */
  public static CostComparison of(
      FlinkWorkload workload,
      ClusterNodeGroups groups,
      CostOptions options,
      RegionPriceView prices) {
    ManagedFlinkBill managed =
        ManagedFlinkBill.forApplications(workload.msfApplicationParallelisms(), options, prices);
    BigDecimal tms = BigDecimal.valueOf(workload.taskManagerReplicas());
    ManagedFlinkBill equivalent =
        ManagedFlinkBill.resourceEquivalent(
            workload.taskManager().cpu().multiply(tms),
            workload.taskManager().memoryGiB().multiply(tms),
            options,
            prices);
    SelfManagedBill selfManaged = SelfManagedBill.of(workload, groups, options, prices);

    List<String> assumptions = new ArrayList<>();
    assumptions.add(
        "parallelism "
            + workload.parallelism()
            + " from "
            + workload.parallelismSource()
            + "; "
            + workload.taskManagerReplicas()
            + " TaskManagers × "
            + workload.slotsPerTaskManager()
            + " slots");
    assumptions.addAll(workload.notes());
    assumptions.add(
        options.hours().stripTrailingZeros().toPlainString()
            + " hours of running on both sides; GB-month prices prorated over "
            + prices.hoursPerMonth().toPlainString()
            + " h");
    assumptions.add(
        "MSF: ParallelismPerKPU "
            + options.parallelismPerKpu()
            + ", 1 orchestration KPU, ten-minute minimum, running storage "
            + (options.msfRunningStorage()
                ? "billed (50 GB per KPU)"
                : "not billed (--no-msf-storage)")
            + ", durable backups "
            + (options.msfDurableBackups() ? "billed for --state-gb" : "not billed")
            + "; its autoscaling is not modelled (a constant parallelism)");
    if (managed.applicationKpus() > ManagedFlinkBill.DEFAULT_KPU_QUOTA) {
      assumptions.add(
          "MSF: "
              + managed.applicationKpus()
              + " KPUs exceed the default quota of "
              + ManagedFlinkBill.DEFAULT_KPU_QUOTA
              + " per application (needs a quota increase)");
    }
    assumptions.add(
        "node groups: "
            + groups.origin()
            + "; JobManagers on "
            + String.join(", ", groups.jobManagers().instanceTypes())
            + ", TaskManagers on "
            + String.join(", ", groups.taskManagers().instanceTypes()));
    assumptions.add(
        selfManaged.liveSpotPrices()
            ? "Spot: live prices from the price file"
            : "Spot: estimated as On-Demand × (1 − catalog discount); refresh with `flinkspot prices refresh` for live prices");
    assumptions.add(
        "node allocatable as on EKS-optimized AMIs (kube-reserved, 100 MiB eviction, aws-node + kube-proxy requests); node memory taken as nominal GiB");
    assumptions.add(
        "self-managed headline view: "
            + (options.view() == SelfManagedView.DEDICATED
                ? "dedicated nodes (whole nodes serve only this job)"
                : "shared cluster (the pods' share of their nodes)")
            + "; EKS control plane "
            + (options.clusterJobs() > 1
                ? "shared by " + options.clusterJobs() + " jobs"
                : "counted whole (--cluster-jobs N shares it)")
            + "; the system node group and data transfer are not counted");
    if (options.stateGb().signum() == 0) {
      assumptions.add("no checkpoint state counted (pass --state-gb GB)");
    }
    return new CostComparison(
        workload,
        prices.region(),
        options,
        groups,
        managed,
        equivalent,
        selfManaged,
        assumptions,
        prices.asOf());
  }

  /** The self-managed bill of the chosen view. */
  public Bill selfManagedHeadline() {
    return options.view() == SelfManagedView.DEDICATED
        ? selfManaged.dedicated()
        : selfManaged.shared();
  }

  public BigDecimal savingsUsd() {
    return managed.bill().totalUsd().subtract(selfManagedHeadline().totalUsd());
  }

  /** Savings as a percentage of the MSF bill, to two decimals. */
  public BigDecimal savingsPercent() {
    BigDecimal managedTotal = managed.bill().totalUsd();
    if (managedTotal.signum() == 0) {
      return BigDecimal.ZERO;
    }
    return savingsUsd()
        .multiply(BigDecimal.valueOf(100))
        .divide(managedTotal, MathContext.DECIMAL64)
        .setScale(2, RoundingMode.HALF_EVEN);
  }

  /** Money for display: cents, half-even. */
  public static BigDecimal cents(BigDecimal usd) {
    return usd.setScale(2, RoundingMode.HALF_EVEN);
  }
}
