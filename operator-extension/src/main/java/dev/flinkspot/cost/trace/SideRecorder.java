package dev.flinkspot.cost.trace;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The books of one side of a simulation, tick by tick: work arrived, processed and still queued
 * (processed + backlog = arrived, always), time paused and under-provisioned (capacity below the
 * load), the bill per hour, and capacity sampled for the chart.
 */
final class SideRecorder {
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

  private final BigDecimal[] hourlyUsd;
  private final double[] hourlyCapacity;
  private final double[] timelineCapacity;
  private final long timelineStep;
  private double arrived;
  private double processed;
  private double backlog;
  private double peakBacklog;
  private double peakCapacity;
  private double pausedSeconds;
  private double underProvisionedSeconds;

  SideRecorder(long durationSeconds, long timelineStepSeconds) {
    int hours = (int) ((durationSeconds + 3599) / 3600);
    hourlyUsd = new BigDecimal[hours];
    java.util.Arrays.fill(hourlyUsd, BigDecimal.ZERO);
    hourlyCapacity = new double[hours];
    timelineStep = timelineStepSeconds;
    timelineCapacity = new double[(int) ((durationSeconds + timelineStep - 1) / timelineStep)];
  }

  /**
   * Books {@code seconds} from {@code now}: {@code load} busy vCPUs of work arrive; the first
   * {@code paused} seconds process nothing, the rest up to {@code capacity} vCPUs of queued work;
   * billed at {@code usdPerHour}. Returns the busy vCPUs over the tick (what a CPU metric sees).
   */
  double tick(
      long now, long seconds, double load, double capacity, double paused, BigDecimal usdPerHour) {
    double arriving = load * seconds;
    double available = backlog + arriving;
    double running = seconds - paused;
    double done = Math.min(capacity * running, available);
    arrived += arriving;
    processed += done;
    backlog = available - done;
    peakBacklog = Math.max(peakBacklog, backlog);
    peakCapacity = Math.max(peakCapacity, capacity);
    pausedSeconds += paused;
    if (capacity < load) {
      underProvisionedSeconds += seconds;
    } else if (load > 0) {
      underProvisionedSeconds += paused;
    }
    int hour = (int) (now / 3600);
    // Dollar-seconds, exact; divided by 3600 once per hour in finish().
    hourlyUsd[hour] = hourlyUsd[hour].add(usdPerHour.multiply(BigDecimal.valueOf(seconds)));
    hourlyCapacity[hour] += capacity * running;
    timelineCapacity[(int) (now / timelineStep)] += capacity * running;
    return seconds == 0 ? 0 : done / seconds;
  }

  SideResult finish(
      String name, long durationSeconds, int scalings, String scalingNoun, List<String> notes) {
    List<BigDecimal> hourly = new ArrayList<>();
    for (BigDecimal usdSeconds : hourlyUsd) {
      hourly.add(usdSeconds.divide(SECONDS_PER_HOUR, MathContext.DECIMAL64));
    }
    double[] capacityPerHour = new double[hourlyCapacity.length];
    for (int h = 0; h < capacityPerHour.length; h++) {
      capacityPerHour[h] = hourlyCapacity[h] / secondsIn(h * 3600L, 3600, durationSeconds);
    }
    double[] timeline = new double[timelineCapacity.length];
    for (int i = 0; i < timeline.length; i++) {
      timeline[i] =
          timelineCapacity[i] / secondsIn(i * timelineStep, timelineStep, durationSeconds);
    }
    return new SideResult(
        name,
        hourly,
        capacityPerHour,
        timeline,
        pausedSeconds,
        underProvisionedSeconds,
        scalings,
        scalingNoun,
        arrived,
        processed,
        backlog,
        peakBacklog,
        peakCapacity,
        notes);
  }

  static long secondsIn(long from, long length, long durationSeconds) {
    return Math.max(1, Math.min(length, durationSeconds - from));
  }
}
