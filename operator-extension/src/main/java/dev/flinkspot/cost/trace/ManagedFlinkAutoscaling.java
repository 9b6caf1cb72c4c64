package dev.flinkspot.cost.trace;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Amazon Managed Service for Apache Flink on a load trace, with its built-in autoscaling as AWS
 * documents it (https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling-auto.html):
 *
 * <ul>
 *   <li>scale up: 15 consecutive one-minute datapoints of {@code containerCPUUtilization} at or
 *       above 75% double {@code CurrentParallelism} (ParallelismPerKPU unchanged, so the KPUs
 *       double too);
 *   <li>scale down: 360 consecutive datapoints (six hours) below 10% halve it, rounded up, never
 *       below the configured {@code Parallelism};
 *   <li>never above the application's max parallelism (and the 64-KPU default quota, see
 *       https://docs.aws.amazon.com/managed-flink/latest/java/limits.html);
 *   <li>while it scales the application is in {@code AUTOSCALING}: stopped with a snapshot and
 *       restarted, so it processes nothing for the scaling pause;
 *   <li>billed per second by KPU: application KPUs = ceil(parallelism / ParallelismPerKPU) plus one
 *       orchestration KPU, and running storage per KPU — the production cost engine's rates ({@link
 *       dev.flinkspot.cost.ManagedFlinkBill},
 *       https://aws.amazon.com/managed-service-apache-flink/pricing/).
 * </ul>
 *
 * The one-minute datapoint is the mean CPU of the minute's ticks: the load is spread evenly over
 * the KPUs, so the docs' Maximum statistic equals the mean here.
 */
final class ManagedFlinkAutoscaling {
  static final double SCALE_UP_PERCENT = 75;
  static final int SCALE_UP_DATAPOINTS = 15;
  static final double SCALE_DOWN_PERCENT = 10;
  static final int SCALE_DOWN_DATAPOINTS = 360;
  static final long DATAPOINT_SECONDS = 60;

  /**
   * @param parallelism the configured Parallelism: where it starts and its floor
   * @param maxParallelism the ceiling (the job's max parallelism, and the KPU quota)
   * @param scalingPauseSeconds how long each scaling operation stops processing
   */
  record Rules(
      int parallelism, int parallelismPerKpu, int maxParallelism, long scalingPauseSeconds) {
    Rules {
      if (parallelism < 1 || parallelismPerKpu < 1 || maxParallelism < parallelism) {
        throw new IllegalArgumentException(
            "need 1 <= parallelism <= max parallelism: " + parallelism + ", " + maxParallelism);
      }
    }

    int kpus(int p) {
      return (p + parallelismPerKpu - 1) / parallelismPerKpu;
    }
  }

  private ManagedFlinkAutoscaling() {}

  /** Runs the trace; {@code usdPerHour} prices a parallelism (KPUs, orchestration, storage). */
  static SideResult simulate(
      LoadTrace trace,
      Rules rules,
      IntFunction<BigDecimal> usdPerHour,
      long tickSeconds,
      long timelineStep) {
    long duration = trace.durationSeconds();
    SideRecorder books = new SideRecorder(duration, timelineStep);
    LoadTrace.Cursor load = trace.cursor();
    int parallelism = rules.parallelism();
    int billedParallelism = parallelism;
    long pausedUntil = 0;
    double minuteCpuSeconds = 0;
    long minuteSeconds = 0;
    int highRun = 0;
    int lowRun = 0;
    int scalings = 0;
    int cappedAt = 0;
    for (long now = 0; now < duration; now += tickSeconds) {
      long seconds = Math.min(tickSeconds, duration - now);
      long paused = Math.max(0, Math.min(seconds, pausedUntil - now));
      if (paused == 0) {
        billedParallelism = parallelism;
      }
      double capacity = rules.kpus(parallelism);
      double busy =
          books.tick(
              now,
              seconds,
              load.loadAt(now),
              capacity,
              paused,
              usdPerHour.apply(billedParallelism));
      if (paused > 0) {
        continue;
      }
      minuteCpuSeconds += busy * seconds / capacity * 100;
      minuteSeconds += seconds;
      if (minuteSeconds < DATAPOINT_SECONDS) {
        continue;
      }
      double cpuPercent = minuteCpuSeconds / minuteSeconds;
      minuteCpuSeconds = 0;
      minuteSeconds = 0;
      highRun = cpuPercent >= SCALE_UP_PERCENT ? highRun + 1 : 0;
      lowRun = cpuPercent < SCALE_DOWN_PERCENT ? lowRun + 1 : 0;
      int next = parallelism;
      if (highRun >= SCALE_UP_DATAPOINTS) {
        next = Math.min(parallelism * 2, rules.maxParallelism());
        if (next == parallelism) {
          cappedAt++;
        }
        highRun = 0;
      } else if (lowRun >= SCALE_DOWN_DATAPOINTS) {
        next = Math.max((parallelism + 1) / 2, rules.parallelism());
        lowRun = 0;
      }
      if (next != parallelism) {
        // Billed at the larger of the two sizes while it scales: the docs do not say which.
        billedParallelism = Math.max(parallelism, next);
        parallelism = next;
        pausedUntil = now + seconds + rules.scalingPauseSeconds();
        highRun = 0;
        lowRun = 0;
        scalings++;
      }
    }
    List<String> notes = new ArrayList<>();
    notes.add(
        "MSF: parallelism "
            + rules.parallelism()
            + " to "
            + rules.maxParallelism()
            + ", ParallelismPerKPU "
            + rules.parallelismPerKpu()
            + "; ended at "
            + parallelism
            + "; "
            + scalings
            + " scaling operation(s), each pausing processing "
            + rules.scalingPauseSeconds() / 60.0
            + " min");
    if (cappedAt > 0) {
      notes.add(
          "MSF: "
              + cappedAt
              + " scale-up(s) wanted past the max parallelism "
              + rules.maxParallelism()
              + " and did not happen");
    }
    return books.finish("MSF", duration, scalings, "scaling operations", notes);
  }
}
