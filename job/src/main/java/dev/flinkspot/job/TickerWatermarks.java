package dev.flinkspot.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks, emitted from the events themselves (not from a wall-clock
 * timer) once they have advanced by {@code emitStepMs}.
 *
 * <p>Emitting on events makes which events are late a function of the event sequence alone, so the
 * late-event count of a single-channel run is reproducible; the periodic callback re-emits nothing
 * new. Like Flink's own generator, the watermark is {@code maxTimestamp - bound - 1}.
 */
public class TickerWatermarks implements WatermarkGenerator<StockEvent> {
  private final long boundMs;
  private final long emitStepMs;
  private long maxTimestamp;
  private long emitted = Long.MIN_VALUE;

  public TickerWatermarks(long boundMs, long emitStepMs) {
    if (boundMs < 0 || emitStepMs < 0) {
      throw new IllegalArgumentException("bound and emit step must be >= 0");
    }
    this.boundMs = boundMs;
    this.emitStepMs = emitStepMs;
    this.maxTimestamp = Long.MIN_VALUE + boundMs + 1;
  }

  @Override
  public void onEvent(StockEvent event, long eventTimestamp, WatermarkOutput output) {
    long next = advance(eventTimestamp);
    if (next != Long.MIN_VALUE) {
      output.emitWatermark(new Watermark(next));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // Nothing: watermarks follow the events only (see the class comment).
  }

  /**
   * Takes one event timestamp; returns the watermark to emit now, or {@link Long#MIN_VALUE} for
   * none. Public so that a reference model of the job can replay exactly what the job does.
   */
  public long advance(long eventTimestamp) {
    maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    long candidate = maxTimestamp - boundMs - 1;
    if (emitted == Long.MIN_VALUE || candidate - emitted >= Math.max(1, emitStepMs)) {
      emitted = candidate;
      return candidate;
    }
    return Long.MIN_VALUE;
  }

  /** The last watermark this generator emitted ({@link Long#MIN_VALUE} before the first). */
  public long current() {
    return emitted;
  }
}
