package dev.flinkspot.job;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's logic, free of sources and sinks: events keyed by ticker, sliding event-time windows,
 * the highest price per window; late events go to a side output and a counter, never dropped.
 *
 * <p>No operator sets a parallelism: Reactive Mode decides it from the TaskManagers present.
 */
public final class StockTickerPipeline {
  /** Events that arrived after the watermark passed all their windows. */
  public static final OutputTag<StockEvent> LATE_EVENTS =
      new OutputTag<>("late-events") {
        private static final long serialVersionUID = 1L;
      };

  /** The metric (operator scope) the late-event counter reports under. */
  public static final String LATE_EVENTS_METRIC = "lateEvents";

  private StockTickerPipeline() {}

  /** The windows' results and the late events, as two streams. */
  public record Outputs(DataStream<WindowMax> maxPerWindow, DataStream<StockEvent> lateEvents) {}

  public static Outputs apply(DataStream<StockEvent> events, Duration size, Duration slide) {
    SingleOutputStreamOperator<WindowMax> max =
        events
            .keyBy(e -> e.ticker)
            .window(SlidingEventTimeWindows.of(size, slide))
            .sideOutputLateData(LATE_EVENTS)
            .aggregate(new MaxPriceAggregate(), new EmitWindowMax())
            .name("max-price-per-window")
            .uid("max-price-per-window");
    DataStream<StockEvent> late =
        max.getSideOutput(LATE_EVENTS)
            .map(new CountLateEvents())
            .name("count-late-events")
            .uid("count-late-events");
    return new Outputs(max, late);
  }

  /** Adds the ticker and the window bounds to a window's maximum. */
  static class EmitWindowMax
      extends ProcessWindowFunction<MaxPriceAggregate.Acc, WindowMax, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        String ticker,
        Context context,
        Iterable<MaxPriceAggregate.Acc> accs,
        Collector<WindowMax> out) {
      MaxPriceAggregate.Acc acc = accs.iterator().next();
      TimeWindow w = context.window();
      out.collect(
          new WindowMax(
              ticker,
              w.getStart(),
              w.getEnd(),
              acc.maxPriceCents,
              acc.maxPriceEventTime,
              acc.events));
    }
  }

  /** Counts late events in the {@value #LATE_EVENTS_METRIC} metric and passes them on. */
  static class CountLateEvents extends RichMapFunction<StockEvent, StockEvent> {
    private static final long serialVersionUID = 1L;
    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
      late = getRuntimeContext().getMetricGroup().counter(LATE_EVENTS_METRIC);
    }

    @Override
    public StockEvent map(StockEvent e) {
      late.inc();
      return e;
    }
  }
}
