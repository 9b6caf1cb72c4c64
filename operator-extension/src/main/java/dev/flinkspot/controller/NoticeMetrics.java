package dev.flinkspot.controller;

import dev.flinkspot.flink.CheckpointOutcome;
import dev.flinkspot.interruption.NoticeSignal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The Spot-notice metrics: {@code flinkspot_spot_notices_total{signal}}, {@code
 * flinkspot_checkpoint_on_notice_seconds{outcome}} and the histogram {@code
 * flinkspot_notice_to_replacement_ready_seconds{spare}}. Every signal and outcome is registered at
 * zero when the loop is built, so the first failure is an increase Prometheus sees (a series that
 * first appears at 1 has no increase) and the dashboard shows every outcome.
 */
final class NoticeMetrics {

  private NoticeMetrics() {}

  /** Registers every series at zero. */
  static void register(MeterRegistry registry) {
    for (NoticeSignal signal : NoticeSignal.values()) {
      notices(registry, signal);
    }
    for (CheckpointOutcome.Result result : CheckpointOutcome.Result.values()) {
      checkpoints(registry, result);
    }
    replacements(registry, true);
    replacements(registry, false);
  }

  /**
   * A replacement TaskManager of a noticed deployment became Ready {@code took} after the notice;
   * {@code spare}: a warm spare was ready to take it at the notice.
   */
  static void replacementReady(MeterRegistry registry, boolean spare, Duration took) {
    replacements(registry, spare).record(took);
  }

  static void notice(MeterRegistry registry, NoticeSignal signal) {
    notices(registry, signal).increment();
  }

  static void checkpoint(MeterRegistry registry, CheckpointOutcome outcome) {
    checkpoints(registry, outcome.result()).record(outcome.took());
  }

  private static Counter notices(MeterRegistry registry, NoticeSignal signal) {
    return Counter.builder("flinkspot_spot_notices")
        .description("Spot reclaim notices acted on, one per deployment per node per window")
        .tag("signal", signal.label())
        .register(registry);
  }

  /**
   * Buckets from 1 s (a warm spare preempted, the image already pulled) to 10 min (a new node
   * launched and joined); slower lands in +Inf.
   */
  private static Timer replacements(MeterRegistry registry, boolean spare) {
    return Timer.builder("flinkspot_notice_to_replacement_ready")
        .description("From a Spot notice to a replacement TaskManager of the deployment Ready")
        .tag("spare", Boolean.toString(spare))
        .serviceLevelObjectives(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(3),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10))
        .register(registry);
  }

  private static Timer checkpoints(MeterRegistry registry, CheckpointOutcome.Result result) {
    return Timer.builder("flinkspot_checkpoint_on_notice")
        .description("From a notice's trigger to the checkpoint's outcome")
        .tag("outcome", result.label())
        .register(registry);
  }
}
