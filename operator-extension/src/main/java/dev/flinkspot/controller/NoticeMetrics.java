package dev.flinkspot.controller;

import dev.flinkspot.flink.CheckpointOutcome;
import dev.flinkspot.interruption.NoticeSignal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The Spot-notice metrics: {@code flinkspot_spot_notices_total{signal}} and {@code
 * flinkspot_checkpoint_on_notice_seconds{outcome}}. Every signal and outcome is registered at zero
 * when the loop is built, so the first failure is an increase Prometheus sees (a series that first
 * appears at 1 has no increase) and the dashboard shows every outcome.
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

  private static Timer checkpoints(MeterRegistry registry, CheckpointOutcome.Result result) {
    return Timer.builder("flinkspot_checkpoint_on_notice")
        .description("From a notice's trigger to the checkpoint's outcome")
        .tag("outcome", result.label())
        .register(registry);
  }
}
