package dev.flinkspot.cost;

import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.MissingFigureException;
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
 * One job, three bills: MSF (by parallelism, and resource-equivalent), self-managed on EKS (two
 * views) and EMR on EKS; the savings of the headline view, and every assumption the numbers rest
 * on. A bill whose figures the catalog lacks is null, and {@link #missingFigures()} names every
 * figure it lacked; at least one of MSF and self-managed is always priced.
 */
public record CostComparison(
    FlinkWorkload workload,
    String region,
    CostOptions options,
    ClusterNodeGroups nodeGroups,
    ManagedFlinkBill managed,
    ManagedFlinkBill managedResourceEquivalent,
    SelfManagedBill selfManaged,
    EmrOnEksBill emrOnEks,
    List<String> assumptions,
    LocalDate pricesAsOf,
    List<String> missingFigures) {

  public CostComparison {
    assumptions = List.copyOf(assumptions);
    missingFigures = List.copyOf(missingFigures);
  }

  /**
   * Compares the ways of running {@code workload}. Pure: no I/O. Throws {@link
   * MissingFigureException} naming every missing figure when neither MSF nor self-managed can be
   * priced; otherwise the bills that can be priced are, and the rest are named.
   */
  public static CostComparison of(
      FlinkWorkload workload,
      ClusterNodeGroups groups,
      CostOptions options,
      RegionPriceView prices) {
    List<String> msfMissing = new ArrayList<>();
    RegionPriceView msfPrices = prices.collectingMissing(msfMissing);
    ManagedFlinkBill managed =
        ManagedFlinkBill.forParallelism(workload.parallelism(), options, msfPrices);
    BigDecimal tms = BigDecimal.valueOf(workload.taskManagerReplicas());
    ManagedFlinkBill equivalent =
        ManagedFlinkBill.resourceEquivalent(
            workload.taskManager().cpu().multiply(tms),
            workload.taskManager().memoryGiB().multiply(tms),
            options,
            msfPrices);
    if (!msfMissing.isEmpty()) {
      managed = null;
      equivalent = null;
    }
    List<String> selfMissing = new ArrayList<>();
    SelfManagedBill selfManaged =
        SelfManagedBill.of(workload, groups, options, prices.collectingMissing(selfMissing));
    if (!selfMissing.isEmpty()) {
      selfManaged = null;
    }
    // EMR on EKS runs on the same nodes: priced only when they are, its own figures named always
    List<String> emrMissing = new ArrayList<>();
    Bill nodes =
        selfManaged == null
            ? new Bill("self-managed on EKS", List.of())
            : options.view() == SelfManagedView.DEDICATED
                ? selfManaged.dedicated()
                : selfManaged.shared();
    EmrOnEksBill emrOnEks =
        EmrOnEksBill.of(workload, nodes, options, prices.collectingMissing(emrMissing));
    if (selfManaged == null || !emrMissing.isEmpty()) {
      emrOnEks = null;
    }
    List<String> missing = new ArrayList<>(msfMissing);
    selfMissing.forEach(f -> addOnce(missing, f));
    emrMissing.forEach(f -> addOnce(missing, f));
    if (managed == null && selfManaged == null) {
      throw new MissingFigureException(missing);
    }

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
    if (managed != null && managed.applicationKpus() > ManagedFlinkBill.DEFAULT_KPU_QUOTA) {
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
        selfManaged != null && selfManaged.liveSpotPrices()
            ? "Spot: live prices from the price file"
            : "Spot: estimated as On-Demand × (1 − catalog discount); refresh with `flinkspot prices refresh` for live prices");
    assumptions.add(
        "node allocatable as on EKS-optimized AMIs (kube-reserved, 100 MiB eviction, aws-node + kube-proxy requests); node memory taken as nominal GiB");
    assumptions.add(
        "self-managed headline view: "
            + (options.view() == SelfManagedView.DEDICATED
                ? "dedicated nodes (whole nodes serve only this job)"
                : "shared cluster (the pods' share of their nodes)")
            + (options.view() == CostOptions.headlineViewFor(options.clusterJobs())
                ? (options.clusterJobs() > 1
                    ? ", what each of " + options.clusterJobs() + " jobs sharing the nodes pays"
                    : ", what a job alone on its cluster pays (--cluster-jobs N for a shared cluster)")
                : ", as chosen with --view")
            + "; EKS control plane and system node group "
            + (options.clusterJobs() > 1
                ? "shared by " + options.clusterJobs() + " jobs"
                : "counted whole (--cluster-jobs N shares them)"));
    if (groups.system() == null) {
      assumptions.add(
          "no system node group in "
              + groups.origin()
              + " (none labelled flinkspot.dev/pool: system or named system): not counted");
    }
    if (options.shuffleMbPerS() == null) {
      assumptions.add(
          "inter-AZ transfer not counted: pass --shuffle-mb-per-s (for a keyed job about its ingest"
              + " rate); MSF charges none");
    } else if (selfManaged != null && options.taskManagerZones() > 1) {
      assumptions.add(
          "inter-AZ: "
              + (options.taskManagerZones() - 1)
              + "/"
              + options.taskManagerZones()
              + " of the shuffle crosses zones; TaskManagers in a single zone would save "
              + usd(selfManaged.interAzUsd())
              + " but put every Spot node in one zone's capacity pools (one reclaim wave or zone"
              + " outage takes the whole job)");
    } else if (options.taskManagerZones() == 1) {
      assumptions.add(
          "single-zone TaskManagers: no inter-AZ transfer, but every Spot node draws on one zone's"
              + " capacity pools");
    }
    assumptions.add(
        emrOnEks != null
            ? "EMR on EKS: the same nodes as the self-managed headline plus EMR's uplift on the"
                + " requested vCPU and memory"
            : "EMR on EKS: not priced (its per-vCPU-hour and per-GB-hour uplift is not in the"
                + " catalog for "
                + prices.region()
                + "; add emrOnEks.vcpuHour and emrOnEks.memoryGbHour with --prices)");
    assumptions.add(
        "MSF Studio notebooks (2 extra KPUs instead of 1) are not modelled: a streaming"
            + " application is compared");

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
        emrOnEks,
        assumptions,
        prices.asOf(),
        missing);
  }

  private static void addOnce(List<String> list, String item) {
    if (!list.contains(item)) {
      list.add(item);
    }
  }

  private static String usd(BigDecimal amount) {
    return "$" + cents(amount).toPlainString();
  }

  /** Whether both MSF and self-managed are priced (savings are known). */
  public boolean complete() {
    return managed != null && selfManaged != null;
  }

  /** The self-managed bill of the chosen view, or null when it could not be priced. */
  public Bill selfManagedHeadline() {
    if (selfManaged == null) {
      return null;
    }
    return options.view() == SelfManagedView.DEDICATED
        ? selfManaged.dedicated()
        : selfManaged.shared();
  }

  /** MSF minus self-managed (headline view); null unless both are priced. */
  public BigDecimal savingsUsd() {
    if (!complete()) {
      return null;
    }
    return managed.bill().totalUsd().subtract(selfManagedHeadline().totalUsd());
  }

  /** Savings as a percentage of the MSF bill, to two decimals; null unless both are priced. */
  public BigDecimal savingsPercent() {
    if (!complete()) {
      return null;
    }
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
