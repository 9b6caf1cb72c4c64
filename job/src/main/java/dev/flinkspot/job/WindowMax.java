package dev.flinkspot.job;

import java.util.Objects;

/** The result per ticker and window: the highest price, when it was seen, and how many events. */
public class WindowMax {
  public String ticker;
  public long windowStart;
  public long windowEnd;
  public long maxPriceCents;
  public long maxPriceEventTime;
  public long events;

  /** For Flink's POJO serializer. */
  public WindowMax() {}

  public WindowMax(
      String ticker,
      long windowStart,
      long windowEnd,
      long maxPriceCents,
      long maxPriceEventTime,
      long events) {
    this.ticker = ticker;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.maxPriceCents = maxPriceCents;
    this.maxPriceEventTime = maxPriceEventTime;
    this.events = events;
  }

  /** {@code windowStart,windowEnd,ticker,maxPrice,maxPriceEventTime,events}: one sink line. */
  public String toCsv() {
    return windowStart
        + ","
        + windowEnd
        + ","
        + ticker
        + ","
        + Prices.format(maxPriceCents)
        + ","
        + maxPriceEventTime
        + ","
        + events;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WindowMax w
        && windowStart == w.windowStart
        && windowEnd == w.windowEnd
        && maxPriceCents == w.maxPriceCents
        && maxPriceEventTime == w.maxPriceEventTime
        && events == w.events
        && Objects.equals(ticker, w.ticker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ticker, windowStart, windowEnd, maxPriceCents, maxPriceEventTime, events);
  }

  @Override
  public String toString() {
    return "WindowMax{" + toCsv() + "}";
  }
}
