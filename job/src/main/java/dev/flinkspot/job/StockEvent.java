package dev.flinkspot.job;

import java.util.Objects;

/** One ticker event: which stock, its price in cents, and when it happened (event time, ms). */
public class StockEvent {
  public String ticker;
  public long priceCents;
  public long eventTime;

  /** For Flink's POJO serializer. */
  public StockEvent() {}

  public StockEvent(String ticker, long priceCents, long eventTime) {
    this.ticker = ticker;
    this.priceCents = priceCents;
    this.eventTime = eventTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StockEvent e
        && priceCents == e.priceCents
        && eventTime == e.eventTime
        && Objects.equals(ticker, e.ticker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ticker, priceCents, eventTime);
  }

  /** {@code ticker,price,eventTime}, the line the late-event sink writes. */
  public String toCsv() {
    return ticker + "," + Prices.format(priceCents) + "," + eventTime;
  }

  @Override
  public String toString() {
    return "StockEvent{" + toCsv() + "}";
  }
}
