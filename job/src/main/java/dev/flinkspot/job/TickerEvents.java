package dev.flinkspot.job;

import java.util.List;

/**
 * The deterministic event sequence of the local wiring: event {@code i} is a pure function of
 * {@code i}, so a test can compute the exact expected output of any run, however it was failed over
 * or rescaled.
 *
 * <p>Event times advance {@link #STEP_MS} per index and arrive up to {@code maxJitterMs} out of
 * order; every {@code lateEvery}-th event is {@link #LATE_BY_MS} older than its neighbours (a late
 * event the job must count, not lose).
 */
public final class TickerEvents {
  /** 2024-01-02T14:30:00Z, a market open; event time of index 0. */
  public static final long BASE_TIME = 1_704_205_800_000L;

  public static final long STEP_MS = 10;
  public static final long LATE_BY_MS = 60_000;
  public static final List<String> TICKERS =
      List.of("AMZN", "AAPL", "MSFT", "GOOG", "NFLX", "TSLA", "META", "NVDA");

  private TickerEvents() {}

  /**
   * Event number {@code index}.
   *
   * @param maxJitterMs how far (at most) an on-time event is behind its position, {@code >= 0}
   * @param lateEvery every this-many-th event is late by {@link #LATE_BY_MS}; {@code 0} = none
   */
  public static StockEvent event(long index, long maxJitterMs, long lateEvery) {
    long h = mix(index);
    String ticker = TICKERS.get((int) Long.remainderUnsigned(h, TICKERS.size()));
    long base = 10_000 + 1_000 * TICKERS.indexOf(ticker); // $100.00, $110.00, ...
    long priceCents = base + Long.remainderUnsigned(h >>> 8, 2_000); // + up to $19.99
    long jitter = maxJitterMs == 0 ? 0 : Long.remainderUnsigned(h >>> 24, maxJitterMs + 1);
    long eventTime = BASE_TIME + index * STEP_MS - jitter;
    if (isLate(index, lateEvery)) {
      eventTime -= LATE_BY_MS;
    }
    return new StockEvent(ticker, priceCents, eventTime);
  }

  /** Whether {@link #event} makes event {@code index} a late one. */
  public static boolean isLate(long index, long lateEvery) {
    return lateEvery > 0 && index % lateEvery == lateEvery - 1;
  }

  /** SplitMix64's finaliser: a well-spread, reproducible hash of the index. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
