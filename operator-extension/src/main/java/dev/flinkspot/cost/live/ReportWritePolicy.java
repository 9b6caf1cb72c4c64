package dev.flinkspot.cost.live;

import java.time.Duration;
import java.time.Instant;

/**
 * When a report's status is written: at once when what it shows changed (run-rate, pods, nodes,
 * condition), otherwise every {@code interval} to advance the accumulated figures, and never twice
 * within {@code minGap}. Pure: the caller schedules the next look after {@link Decision#recheck}.
 */
public record ReportWritePolicy(Duration interval, Duration minGap) {

  public ReportWritePolicy {
    if (interval.compareTo(minGap) < 0 || minGap.isNegative()) {
      throw new IllegalArgumentException("interval " + interval + " < min gap " + minGap);
    }
  }

  /** Write now or not, and when to look again. */
  public record Decision(boolean write, Duration recheck) {}

  /**
   * @param changed the status differs from the written one in more than the clock's figures
   * @param lastWrite when the status was last written, null if never
   */
  public Decision decide(boolean changed, Instant lastWrite, Instant now) {
    if (lastWrite == null) {
      return new Decision(true, interval);
    }
    Duration since = Duration.between(lastWrite, now);
    if (since.compareTo(minGap) < 0) {
      Duration wait = minGap.minus(since);
      return new Decision(false, changed ? wait : interval.minus(since));
    }
    if (changed || since.compareTo(interval) >= 0) {
      return new Decision(true, interval);
    }
    return new Decision(false, interval.minus(since));
  }
}
