package dev.flinkspot.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * A plain-Java model of the job on the generator's sequence, read by one channel in order: what
 * Flink's sliding event-time windows, the job's watermarks and its late-event side output must
 * produce. With {@code lateEvery = 0} no event is ever late, whatever the parallelism or the
 * failovers, so the model is the exact expected output of every run.
 */
public final class ReferenceModel {
  private ReferenceModel() {}

  /** The expected windows' results and late events. */
  public record Expected(List<WindowMax> maxPerWindow, List<StockEvent> lateEvents) {
    public List<String> maxPerWindowCsv() {
      return maxPerWindow.stream().map(WindowMax::toCsv).sorted().toList();
    }

    public List<String> lateEventsCsv() {
      return lateEvents.stream().map(StockEvent::toCsv).sorted().toList();
    }
  }

  public static Expected run(
      long events, Duration outOfOrderness, long lateEvery, Duration size, Duration slide) {
    long bound = outOfOrderness.toMillis();
    long sizeMs = size.toMillis();
    long slideMs = slide.toMillis();
    TickerWatermarks watermarks = new TickerWatermarks(bound, StockTickerJob.WATERMARK_STEP_MS);
    Map<String, MaxPriceAggregate.Acc> windows = new HashMap<>();
    MaxPriceAggregate agg = new MaxPriceAggregate();
    List<StockEvent> late = new ArrayList<>();
    for (long i = 0; i < events; i++) {
      StockEvent e = TickerEvents.event(i, bound, lateEvery);
      long wm = watermarks.current();
      boolean skipped = true;
      long lastStart = TimeWindow.getWindowStartWithOffset(e.eventTime, 0, slideMs);
      for (long start = lastStart; start > e.eventTime - sizeMs; start -= slideMs) {
        long end = start + sizeMs;
        if (end - 1 <= wm) {
          continue; // WindowOperator#isWindowLate
        }
        skipped = false;
        String key = e.ticker + "," + start + "," + end;
        windows.put(key, agg.add(e, windows.computeIfAbsent(key, k -> agg.createAccumulator())));
      }
      if (skipped && e.eventTime <= wm) {
        late.add(e);
      }
      watermarks.advance(e.eventTime);
    }
    List<WindowMax> results = new ArrayList<>();
    windows.forEach(
        (key, acc) -> {
          String[] k = key.split(",");
          results.add(
              new WindowMax(
                  k[0],
                  Long.parseLong(k[1]),
                  Long.parseLong(k[2]),
                  acc.maxPriceCents,
                  acc.maxPriceEventTime,
                  acc.events));
        });
    return new Expected(results, late);
  }
}
