package dev.flinkspot.cost.bill;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What an export says the cluster cost, by FlinkDeployment and by shared bucket, next to what MSF
 * would have charged for the same jobs over the same hours. Every figure is exact (DECIMAL) until
 * rendering.
 *
 * @param totalUsd every line of the export (split rows only re-divide instance lines)
 * @param shared the cluster's shared costs by bucket
 * @param adjustments credits, refunds, savings plans and reservations, tax, discounts, fees
 * @param spotUsd instance cost on Spot (jobs and shared)
 * @param onDemandUsd instance cost On-Demand
 * @param splitCheck whether the split rows add back to their instance lines
 */
public record BillReport(
    String format,
    int files,
    long rows,
    String currency,
    LocalDate firstDay,
    LocalDate lastDay,
    BigDecimal totalUsd,
    List<JobBill> jobs,
    Map<String, BigDecimal> shared,
    Map<String, BigDecimal> adjustments,
    BigDecimal spotUsd,
    BigDecimal onDemandUsd,
    SplitCheck splitCheck,
    List<DailyCost> daily,
    List<String> assumptions) {

  /** One FlinkDeployment: its JobManager and TaskManager cost, and MSF for the same hours. */
  public record JobBill(
      String job,
      String policy,
      BigDecimal jobManagerUsd,
      BigDecimal taskManagerUsd,
      BigDecimal spotUsd,
      BigDecimal onDemandUsd,
      double taskManagerPodHours,
      double hours,
      double meanParallelism,
      BigDecimal managedFlinkUsd) {
    public BigDecimal totalUsd() {
      return jobManagerUsd.add(taskManagerUsd);
    }
  }

  /** Instance lines shared out by split cost allocation rows: how many, and the worst gap. */
  public record SplitCheck(long instanceLines, BigDecimal worstDifferenceUsd) {}

  /** One job's (or MSF's) cost on one day, for the chart. */
  public record DailyCost(LocalDate day, String job, String component, BigDecimal usd) {}
}
