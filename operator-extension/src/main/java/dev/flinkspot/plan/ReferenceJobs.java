package dev.flinkspot.plan;

import dev.flinkspot.cost.Bill;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.PriceCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference jobs of the performance goal: 4, 10 and 64 KPUs, MSF against self-managed at equal
 * vCPU and memory (the node capacity {@code flinkspot plan} gives: one slot of a 4 vCPU / 16 GiB
 * Spot node per KPU), every cost counted (nodes, volumes, control plane, system node group,
 * inter-AZ shuffle at the ingest rate, MSF storage), for a month. Each job is priced as planned and
 * then with each lever that lowers the self-managed bill, so the table shows whether and how
 * self-managed reaches 35% of the MSF bill. Pure: no I/O.
 */
public final class ReferenceJobs {
  public static final List<Integer> KPUS = List.of(4, 10, 64);
  public static final BigDecimal GOAL_PERCENT = BigDecimal.valueOf(35);

  /** Jobs a shared cluster is assumed to carry in the shared-cluster lever. */
  public static final int SHARED_CLUSTER_JOBS = 10;

  private ReferenceJobs() {}

  /**
   * One priced variant of a reference job.
   *
   * @param kpus the job's size in KPUs (MB/s by AWS's rule)
   * @param variant which levers are pulled
   * @param selfManagedUsd the self-managed bill of the view a user of this variant pays
   * @param emrOnEksUsd EMR on EKS on the same nodes, or null when its prices are not known
   * @param managedUsd the MSF bill
   */
  public record Row(
      int kpus,
      String variant,
      BigDecimal selfManagedUsd,
      BigDecimal emrOnEksUsd,
      BigDecimal managedUsd) {

    /** Self-managed as a percentage of MSF, one decimal. */
    public BigDecimal percentOfMsf() {
      return selfManagedUsd
          .multiply(BigDecimal.valueOf(100))
          .divide(managedUsd, 1, RoundingMode.HALF_EVEN);
    }

    public boolean meetsGoal() {
      return percentOfMsf().compareTo(GOAL_PERCENT) <= 0;
    }
  }

  /** Every reference job in {@code region}, each as planned and with its levers. */
  public static List<Row> rows(PriceCatalog catalog, String region) {
    List<Row> rows = new ArrayList<>();
    for (int kpus : KPUS) {
      rows.add(
          price(
              catalog, region, kpus, "x86_64", 3, 1, "as planned: x86 Spot, 3 zones, own cluster"));
      rows.add(
          price(catalog, region, kpus, "arm64", 3, 1, "+ Graviton Spot (arm64, JM on m7g.large)"));
      rows.add(
          price(catalog, region, kpus, "arm64", 1, 1, "+ Graviton + single-zone TaskManagers"));
      rows.add(
          price(
              catalog,
              region,
              kpus,
              "x86_64",
              3,
              SHARED_CLUSTER_JOBS,
              "shared cluster of " + SHARED_CLUSTER_JOBS + " jobs (JM packed: pod share)"));
      rows.add(
          price(
              catalog,
              region,
              kpus,
              "arm64",
              1,
              SHARED_CLUSTER_JOBS,
              "all levers: Graviton, single zone, shared cluster"));
    }
    return rows;
  }

  private static Row price(
      PriceCatalog catalog,
      String region,
      int kpus,
      String arch,
      int zones,
      int clusterJobs,
      String variant) {
    List<String> zoneNames = new ArrayList<>();
    for (int z = 0; z < Math.max(zones, ClusterConfigRules.MIN_ZONES); z++) {
      zoneNames.add(region + (char) ('a' + z));
    }
    PlanRequest request =
        new PlanRequest(
            BigDecimal.valueOf(kpus),
            region,
            BigDecimal.ZERO,
            new NodeShape(4, BigDecimal.valueOf(16), arch),
            zoneNames,
            "reference",
            "reference-" + kpus,
            "flink",
            arch.equals("arm64") ? "m7g.large" : "m5.large",
            "flink:1.20",
            "reference-checkpoints",
            "reference",
            "reference",
            "reference");
    Planner.Plan plan = Planner.plan(request, catalog);
    CostComparison planned = plan.comparison();
    // the plan's groups span at least two zones (its own rule); a single-zone placement is priced
    // as such: no shuffle crosses a zone
    CostOptions options =
        new CostOptions(
            CostOptions.DEFAULT_HOURS,
            1,
            true,
            false,
            BigDecimal.ZERO,
            clusterJobs,
            CostOptions.headlineViewFor(clusterJobs),
            BigDecimal.valueOf(kpus),
            zones);
    CostComparison c =
        CostComparison.of(
            planned.workload(), planned.nodeGroups(), options, catalog.region(region));
    if (!c.complete()) {
      throw new dev.flinkspot.cost.catalog.MissingFigureException(c.missingFigures());
    }
    Bill self = c.selfManagedHeadline();
    return new Row(
        kpus,
        variant,
        self.totalUsd(),
        c.emrOnEks() == null ? null : c.emrOnEks().bill().totalUsd(),
        c.managed().bill().totalUsd());
  }

  /** The table as text, with what it assumes and which levers reach the goal. */
  public static String render(List<Row> rows, String region) {
    StringBuilder out = new StringBuilder();
    out.append(
        "Reference jobs in "
            + region
            + ", 730 h: self-managed on EKS as a share of the MSF bill at equal vCPU and memory"
            + " (goal: <= "
            + GOAL_PERCENT
            + "%)\n");
    out.append(
        String.format(
            "%4s  %-52s %12s %12s %12s %7s  %s%n",
            "KPUs",
            "self-managed variant",
            "MSF",
            "EMR on EKS",
            "self-managed",
            "% MSF",
            "<= 35%"));
    for (Row r : rows) {
      out.append(
          String.format(
              "%4d  %-52s %12s %12s %12s %6s%%  %s%n",
              r.kpus(),
              r.variant(),
              usd(r.managedUsd()),
              r.emrOnEksUsd() == null ? "not priced" : usd(r.emrOnEksUsd()),
              usd(r.selfManagedUsd()),
              r.percentOfMsf().toPlainString(),
              r.meetsGoal() ? "yes" : "no"));
    }
    out.append("Reached with the fewest levers:\n");
    for (int kpus : KPUS) {
      Row first =
          rows.stream().filter(r -> r.kpus() == kpus && r.meetsGoal()).findFirst().orElse(null);
      out.append(
          "  "
              + kpus
              + " KPU: "
              + (first == null
                  ? "out of reach even with every lever (the fixed costs of a cluster outweigh a job this small)"
                  : first.variant() + " (" + first.percentOfMsf().toPlainString() + "%)")
              + "\n");
    }
    out.append(
        "Counted: Spot and On-Demand nodes, root volumes, EKS control plane and the system node"
            + " group (2 x m5.large, shared by the cluster's jobs), inter-AZ shuffle at the ingest"
            + " rate ((z-1)/z crosses zones, charged both ways); MSF: KPUs + 1 orchestration KPU"
            + " and 50 GB running storage per KPU. Spot = On-Demand x (1 - 0.48), the low end of"
            + " the Spot Instance Advisor range. EMR on EKS needs its uplift prices (--prices).\n");
    return out.toString();
  }

  private static String usd(BigDecimal amount) {
    return "$" + String.format("%,.2f", CostComparison.cents(amount));
  }
}
