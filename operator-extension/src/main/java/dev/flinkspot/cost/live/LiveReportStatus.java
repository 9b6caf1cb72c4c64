package dev.flinkspot.cost.live;

import dev.flinkspot.cost.live.FlinkCostReportStatus.ClosedPeriod;
import dev.flinkspot.interruption.counts.InterruptionCounts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Builds a report's status from an observation and its ledger. Pure; rounds only here. */
public final class LiveReportStatus {
  static final String ALL_FOUND = "AllFiguresFound";
  static final String MISSING = "MissingFigure";
  static final String NOT_RUNNING = "NotRunning";
  public static final String CLOSED = "Closed";

  /**
   * How many closed periods a report keeps one by one; beyond, the two oldest are merged into one
   * (their totals added), so a report stays small and no dollar is dropped.
   */
  static final int MAX_CLOSED_PERIODS = 12;

  private LiveReportStatus() {}

  /**
   * {@link #build(LiveObservation, Ledger, Instant, FlinkCostReportStatus, InterruptionCounts)}
   * with the period's counts carried over.
   */
  public static FlinkCostReportStatus build(
      LiveObservation observation, Ledger ledger, Instant now, FlinkCostReportStatus previous) {
    return build(observation, ledger, now, previous, carriedInterruptions(previous));
  }

  /** The interruption counts of the open period {@code previous} (none when a new one begins). */
  public static InterruptionCounts carriedInterruptions(FlinkCostReportStatus previous) {
    return previous == null || previous.periodClosed() ? null : previous.interruptions();
  }

  /**
   * @param interruptions the period's interruption counts (see {@link #carriedInterruptions})
   */
  public static FlinkCostReportStatus build(
      LiveObservation observation,
      Ledger ledger,
      Instant now,
      FlinkCostReportStatus previous,
      InterruptionCounts interruptions) {
    RunRate rate = observation.rate();
    BigDecimal self = rate == null ? null : rate.selfManagedUsdPerHour();
    // Not running: MSF for parallelism 0 is no figure to compare with.
    BigDecimal managed = rate == null || !observation.running() ? null : rate.managedUsdPerHour();
    BigDecimal emr = rate == null ? null : rate.emrOnEksUsdPerHour();
    BigDecimal month = observation.hoursPerMonth();
    String savings = comparable(observation) ? savingsPercent(self, managed) : null;
    String spotShare =
        observation.taskManagers() == 0
            ? "0.0"
            : BigDecimal.valueOf(observation.spotTaskManagers() * 100L)
                .divide(BigDecimal.valueOf(observation.taskManagers()), 1, RoundingMode.HALF_EVEN)
                .toPlainString();
    return new FlinkCostReportStatus(
        observation.region(),
        observation.parallelism(),
        micro(self),
        micro(managed),
        self == null ? null : cents(self.multiply(month)),
        managed == null ? null : cents(managed.multiply(month)),
        savings,
        micro(ledger.totals().selfManagedUsd()),
        micro(ledger.totals().managedUsd()),
        observation.taskManagers(),
        observation.jobManagers(),
        spotShare,
        observation.nodes(),
        ledger.since().truncatedTo(ChronoUnit.SECONDS).toString(),
        now.truncatedTo(ChronoUnit.SECONDS).toString(),
        List.of(priced(observation, now, previous)),
        micro(emr),
        emr == null ? null : cents(emr.multiply(month)),
        micro(observation.clusterUsdPerHour()),
        observation.clusterSharedBy(),
        observation.clusterUsdPerHour() == null
            ? null
            : micro(LiveCost.share(observation.clusterUsdPerHour(), observation.clusterSharedBy())),
        null,
        carriedPeriods(previous),
        spareLine(observation),
        interruptions);
  }

  /** The spares' own line, when the deployment has placeholders; its money when it is priced. */
  static FlinkCostReportStatus.SpareLine spareLine(LiveObservation observation) {
    if (!observation.hasSpares()) {
      return null;
    }
    BigDecimal perHour = observation.rate() == null ? null : observation.rate().spareUsdPerHour();
    return new FlinkCostReportStatus.SpareLine(
        observation.spares(),
        observation.pendingSpares(),
        micro(perHour),
        perHour == null ? null : cents(perHour.multiply(observation.hoursPerMonth())));
  }

  /**
   * The final status of a period: the totals of {@code ledger} (advanced to the closing time by the
   * caller), the time it closed, no run-rate (nothing is charged any more) and condition {@code
   * Priced} False with reason {@code Closed} and {@code why}.
   */
  public static FlinkCostReportStatus close(
      FlinkCostReportStatus previous, Ledger ledger, String why) {
    String at = ledger.accountedAt().truncatedTo(ChronoUnit.SECONDS).toString();
    Condition closed =
        new ConditionBuilder()
            .withType(FlinkCostReportStatus.PRICED)
            .withStatus("False")
            .withReason(CLOSED)
            .withMessage(
                "closed at "
                    + at
                    + ": "
                    + why
                    + "; the totals since "
                    + ledger.since().truncatedTo(ChronoUnit.SECONDS)
                    + " are final, kept until the FlinkDeployment is deleted")
            .withLastTransitionTime(at)
            .build();
    return new FlinkCostReportStatus(
        previous == null ? null : previous.region(),
        previous == null ? null : previous.parallelism(),
        null,
        null,
        null,
        null,
        null,
        micro(ledger.totals().selfManagedUsd()),
        micro(ledger.totals().managedUsd()),
        null,
        null,
        null,
        null,
        ledger.since().truncatedTo(ChronoUnit.SECONDS).toString(),
        at,
        List.of(closed),
        null,
        null,
        null,
        null,
        null,
        at,
        previous == null ? null : previous.closedPeriods(),
        null,
        previous == null ? null : previous.interruptions());
  }

  /**
   * The closed periods an open status carries: the previous status's, and the previous status
   * itself when it was a closed period (the deployment is governed again: a new period began).
   */
  static List<ClosedPeriod> carriedPeriods(FlinkCostReportStatus previous) {
    if (previous == null) {
      return null;
    }
    List<ClosedPeriod> periods =
        new ArrayList<>(previous.closedPeriods() == null ? List.of() : previous.closedPeriods());
    if (previous.periodClosed()) {
      periods.add(ClosedPeriod.of(previous));
    }
    while (periods.size() > MAX_CLOSED_PERIODS) {
      ClosedPeriod a = periods.remove(0);
      ClosedPeriod b = periods.remove(0);
      periods.add(
          0,
          new ClosedPeriod(
              a.since(),
              b.until(),
              sum(a.accumulatedSelfManagedUsd(), b.accumulatedSelfManagedUsd()),
              sum(a.accumulatedManagedUsd(), b.accumulatedManagedUsd()),
              "two periods merged (a report keeps " + MAX_CLOSED_PERIODS + ")"));
    }
    return periods.isEmpty() ? null : List.copyOf(periods);
  }

  private static String sum(String a, String b) {
    return micro(Ledger.decimal(a).add(Ledger.decimal(b)));
  }

  /**
   * Savings are only shown when they compare like with like: the job runs, every pod is priced (an
   * unpriced pod would flatter self-managed) and MSF would bill something.
   */
  static boolean comparable(LiveObservation observation) {
    return observation.running()
        && observation.fullyPriced()
        && observation.rate().managedUsdPerHour().signum() > 0;
  }

  private static String savingsPercent(BigDecimal self, BigDecimal managed) {
    return managed
        .subtract(self)
        .multiply(BigDecimal.valueOf(100))
        .divide(managed, MathContext.DECIMAL64)
        .setScale(1, RoundingMode.HALF_EVEN)
        .toPlainString();
  }

  private static Condition priced(
      LiveObservation observation, Instant now, FlinkCostReportStatus previous) {
    boolean ok = observation.fullyPriced() && observation.running();
    String status = ok ? "True" : "False";
    String reason =
        !observation.fullyPriced() ? MISSING : !observation.running() ? NOT_RUNNING : ALL_FOUND;
    String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
    if (previous != null && previous.conditions() != null) {
      for (Condition c : previous.conditions()) {
        if (FlinkCostReportStatus.PRICED.equals(c.getType()) && status.equals(c.getStatus())) {
          transition = c.getLastTransitionTime();
        }
      }
    }
    String message =
        switch (reason) {
          case ALL_FOUND ->
              "every pod priced at "
                  + observation.region()
                  + " prices; MSF for parallelism "
                  + observation.parallelism();
          case NOT_RUNNING ->
              "not running: no TaskManager is bound to a node yet, so there is no MSF figure or"
                  + " savings to show; the self-managed figure is what runs now";
          default ->
              (observation.rate() == null
                      ? "not priced: "
                      : "partly priced (figures exclude it, no savings shown): ")
                  + String.join("; ", observation.missing());
        };
    return new ConditionBuilder()
        .withType(FlinkCostReportStatus.PRICED)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition)
        .build();
  }

  static String micro(BigDecimal usd) {
    return usd == null ? null : usd.setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }

  static String cents(BigDecimal usd) {
    return usd.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }
}
