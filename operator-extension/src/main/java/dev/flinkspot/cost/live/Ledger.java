package dev.flinkspot.cost.live;

import dev.flinkspot.cost.live.LiveCost.Totals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The running totals of one report, unrounded: since when, up to when, at which rates. Each advance
 * charges the elapsed time at the rates that were in effect during it, then takes the new rates.
 */
public record Ledger(
    Instant since,
    Instant accountedAt,
    Totals totals,
    BigDecimal selfManagedUsdPerHour,
    BigDecimal managedUsdPerHour) {

  /** A report that begins now; nothing is charged before the first rate is known. */
  public static Ledger begin(Instant now, RunRate rate) {
    return new Ledger(now, now, Totals.ZERO, selfOf(rate), managedOf(rate));
  }

  /**
   * A ledger carried on from a written status (the controller restarted): the totals as of its
   * {@code lastUpdated}, charged on at its rates until the next advance.
   */
  public static Ledger resume(FlinkCostReportStatus status, Instant fallback) {
    Instant since = parse(status.since(), fallback);
    Instant at = parse(status.lastUpdated(), since);
    return new Ledger(
        since,
        at,
        new Totals(
            decimal(status.accumulatedSelfManagedUsd()), decimal(status.accumulatedManagedUsd())),
        decimal(status.selfManagedUsdPerHour()),
        decimal(status.managedUsdPerHour()));
  }

  public Ledger advance(Instant now, RunRate next) {
    Duration elapsed = Duration.between(accountedAt, now);
    Totals charged =
        LiveCost.accumulate(
            totals,
            new RunRate(selfManagedUsdPerHour, managedUsdPerHour, 0, 0, 0, List.of()),
            elapsed);
    return new Ledger(
        since,
        now.isAfter(accountedAt) ? now : accountedAt,
        charged,
        selfOf(next),
        managedOf(next));
  }

  private static BigDecimal selfOf(RunRate rate) {
    return rate == null ? BigDecimal.ZERO : rate.selfManagedUsdPerHour();
  }

  private static BigDecimal managedOf(RunRate rate) {
    return rate == null ? BigDecimal.ZERO : rate.managedUsdPerHour();
  }

  static BigDecimal decimal(String text) {
    try {
      return text == null ? BigDecimal.ZERO : new BigDecimal(text);
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO;
    }
  }

  private static Instant parse(String text, Instant fallback) {
    try {
      return text == null ? fallback : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }
}
