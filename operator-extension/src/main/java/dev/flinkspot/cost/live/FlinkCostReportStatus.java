package dev.flinkspot.cost.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flinkspot.interruption.counts.InterruptionCounts;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The figures of a {@link FlinkCostReport}. Money is a decimal string in US dollars (exact, no
 * binary floating point): run-rates with 6 decimals, monthly figures with 2.
 *
 * @param region AWS region whose prices were used
 * @param parallelism the parallelism MSF is priced for (the running job's)
 * @param selfManagedUsdPerHour the running pods' share of their nodes plus the control-plane share
 * @param managedUsdPerHour what MSF bills per hour for the same parallelism (KPUs + storage);
 *     absent while the job is not running (no TaskManager bound to a node)
 * @param selfManagedUsdPerMonth run-rate × the catalog's hours per month (730)
 * @param managedUsdPerMonth MSF run-rate × hours per month
 * @param savingsPercent (MSF − self-managed) / MSF × 100, one decimal; absent unless the job runs
 *     and every pod is priced (a partial self-managed figure would overstate the savings)
 * @param accumulatedSelfManagedUsd self-managed cost accumulated since {@code since}
 * @param accumulatedManagedUsd MSF cost for the same parallelism over the same time
 * @param taskManagers TaskManager pods bound to a node
 * @param jobManagers JobManager pods bound to a node
 * @param spotSharePercent share of the TaskManagers on Spot nodes, one decimal
 * @param nodes the nodes priced, with their instance and capacity type
 * @param since when the report began accumulating (RFC 3339)
 * @param lastUpdated when the accumulated figures were last advanced (RFC 3339)
 * @param conditions {@code Priced}: True when the job runs and every figure was found; False with
 *     reason {@code MissingFigure} (the message names each and its fix) or {@code NotRunning}
 * @param emrOnEksUsdPerHour the same pods on EMR on EKS, when its prices are in the catalog
 * @param emrOnEksUsdPerMonth that run-rate × hours per month
 * @param clusterUsdPerHour the cluster's fixed cost per hour, whole (the EKS control plane): the
 *     cluster-level figure, the same in every report of the cluster
 * @param clusterSharedBy how many running governed deployments share it in equal parts, this one
 *     included; 0 while this one does not run (it then carries none)
 * @param clusterShareUsdPerHour this report's part of it, included in {@code
 *     selfManagedUsdPerHour}: {@code clusterUsdPerHour / clusterSharedBy}
 * @param closed when this period closed (RFC 3339): the deployment left its policy, so the
 *     accumulated figures stopped at this time and are kept as they are; absent while open
 * @param closedPeriods the earlier periods of the same deployment, oldest first, each with its
 *     totals: a report closed and then governed again starts a new period and keeps the old one
 *     here
 * @param spares the warm-spare line ({@code taskManager.spare}); absent when the deployment has no
 *     placeholder pods
 * @param interruptions the Spot interruptions of this period (notices acted on, by signal, the
 *     checkpoints taken on them), absent until the first. This status is the durable per-deployment
 *     record: the cost-report loop, its one writer, folds in what the Spot notice loop hands over
 *     and carries it while the period stays open, so it survives restarts; a new period starts
 *     without any; a closed period keeps its counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlinkCostReportStatus(
    String region,
    Integer parallelism,
    String selfManagedUsdPerHour,
    String managedUsdPerHour,
    String selfManagedUsdPerMonth,
    String managedUsdPerMonth,
    String savingsPercent,
    String accumulatedSelfManagedUsd,
    String accumulatedManagedUsd,
    Integer taskManagers,
    Integer jobManagers,
    String spotSharePercent,
    List<PricedNode> nodes,
    String since,
    String lastUpdated,
    List<Condition> conditions,
    String emrOnEksUsdPerHour,
    String emrOnEksUsdPerMonth,
    String clusterUsdPerHour,
    Integer clusterSharedBy,
    String clusterShareUsdPerHour,
    String closed,
    List<ClosedPeriod> closedPeriods,
    SpareLine spares,
    InterruptionCounts interruptions) {

  public static final String PRICED = "Priced";

  /**
   * What the warm-spare placeholders cost: their share of the nodes they hold, at each node's
   * instance and capacity type (they are placed like the TaskManagers, so on their nodes). Included
   * in {@code selfManagedUsdPerHour}, never in {@code taskManagers} or the parallelism.
   *
   * @param pods placeholders bound to a node, priced
   * @param pending placeholders without a node yet: free until one is there, and a reclaim until
   *     then waits for new capacity
   * @param usdPerHour the bound placeholders' share of their nodes; absent when not priced
   * @param usdPerMonth that × hours per month
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SpareLine(Integer pods, Integer pending, String usdPerHour, String usdPerMonth) {}

  /** Whether the period closed: the figures are final, kept for the record. */
  public boolean periodClosed() {
    return closed != null;
  }

  /**
   * A period of the report that has closed, with its totals.
   *
   * @param since when it began (RFC 3339)
   * @param until when it closed (RFC 3339)
   * @param reason why it closed, as the {@code Closed} condition said
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClosedPeriod(
      String since,
      String until,
      String accumulatedSelfManagedUsd,
      String accumulatedManagedUsd,
      String reason) {

    /** The period a closed status ends, as kept once a new period begins. */
    public static ClosedPeriod of(FlinkCostReportStatus closed) {
      return new ClosedPeriod(
          closed.since(),
          closed.closed(),
          closed.accumulatedSelfManagedUsd(),
          closed.accumulatedManagedUsd(),
          closed.conditions() == null || closed.conditions().isEmpty()
              ? null
              : closed.conditions().get(0).getMessage());
    }
  }

  /**
   * A node that runs pods of the deployment, as priced.
   *
   * @param capacityType {@code SPOT} or {@code ON_DEMAND} (a node without a capacity label is
   *     priced On-Demand)
   * @param spares warm-spare placeholders on the node, absent when none
   * @param instanceType {@code node.kubernetes.io/instance-type}, absent when the label is missing
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PricedNode(
      String name,
      String instanceType,
      String capacityType,
      Integer jobManagers,
      Integer taskManagers,
      Integer spares) {

    /** A node without warm-spare placeholders. */
    public PricedNode(
        String name,
        String instanceType,
        String capacityType,
        Integer jobManagers,
        Integer taskManagers) {
      this(name, instanceType, capacityType, jobManagers, taskManagers, null);
    }
  }

  /**
   * The same status without the figures that advance with time alone (accumulated, lastUpdated,
   * condition transition times): two statuses equal here mean nothing changed but the clock.
   */
  public FlinkCostReportStatus withoutProgress() {
    return new FlinkCostReportStatus(
        region,
        parallelism,
        selfManagedUsdPerHour,
        managedUsdPerHour,
        selfManagedUsdPerMonth,
        managedUsdPerMonth,
        savingsPercent,
        null,
        null,
        taskManagers,
        jobManagers,
        spotSharePercent,
        nodes,
        since,
        null,
        conditions == null
            ? null
            : conditions.stream()
                .map(
                    c ->
                        new Condition(
                            null,
                            c.getMessage(),
                            c.getObservedGeneration(),
                            c.getReason(),
                            c.getStatus(),
                            c.getType()))
                .toList(),
        emrOnEksUsdPerHour,
        emrOnEksUsdPerMonth,
        clusterUsdPerHour,
        clusterSharedBy,
        clusterShareUsdPerHour,
        closed,
        closedPeriods,
        spares,
        interruptions);
  }
}
