package dev.flinkspot.job;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Keeps the highest price of a window (ties: the earliest event) and the number of events: one
 * small accumulator per key and window, whatever the window size.
 */
public class MaxPriceAggregate
    implements AggregateFunction<StockEvent, MaxPriceAggregate.Acc, MaxPriceAggregate.Acc> {
  private static final long serialVersionUID = 1L;

  /** The running maximum of one window. */
  public static class Acc {
    public long maxPriceCents = Long.MIN_VALUE;
    public long maxPriceEventTime = Long.MAX_VALUE;
    public long events;

    public Acc() {}
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc add(StockEvent e, Acc acc) {
    if (e.priceCents > acc.maxPriceCents
        || (e.priceCents == acc.maxPriceCents && e.eventTime < acc.maxPriceEventTime)) {
      acc.maxPriceCents = e.priceCents;
      acc.maxPriceEventTime = e.eventTime;
    }
    acc.events++;
    return acc;
  }

  @Override
  public Acc getResult(Acc acc) {
    return acc;
  }

  @Override
  public Acc merge(Acc a, Acc b) {
    Acc m = new Acc();
    boolean aWins =
        a.maxPriceCents > b.maxPriceCents
            || (a.maxPriceCents == b.maxPriceCents && a.maxPriceEventTime <= b.maxPriceEventTime);
    m.maxPriceCents = aWins ? a.maxPriceCents : b.maxPriceCents;
    m.maxPriceEventTime = aWins ? a.maxPriceEventTime : b.maxPriceEventTime;
    m.events = a.events + b.events;
    return m;
  }
}
