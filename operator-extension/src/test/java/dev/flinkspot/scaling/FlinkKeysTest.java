package dev.flinkspot.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.SchedulerExecutionMode;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;

/**
 * The keys the scaling layer writes match flink-core's ConfigOptions (the flink-core that the Flink
 * operator API brings; these keys are the same in 1.19 and 1.20).
 */
class FlinkKeysTest {

  @Test
  void matchFlinkCore() {
    assertThat(FlinkKeys.SCHEDULER_MODE).isEqualTo(JobManagerOptions.SCHEDULER_MODE.key());
    assertThat(FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT)
        .isEqualTo(JobManagerOptions.RESOURCE_STABILIZATION_TIMEOUT.key());
    assertThat(FlinkKeys.SCALING_INTERVAL_MIN)
        .isEqualTo(JobManagerOptions.SCHEDULER_SCALING_INTERVAL_MIN.key());
    assertThat(FlinkKeys.SCALING_INTERVAL_MAX)
        .isEqualTo(JobManagerOptions.SCHEDULER_SCALING_INTERVAL_MAX.key());
    assertThat(FlinkKeys.HEARTBEAT_INTERVAL)
        .isEqualTo(HeartbeatManagerOptions.HEARTBEAT_INTERVAL.key());
    assertThat(FlinkKeys.HEARTBEAT_TIMEOUT)
        .isEqualTo(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT.key());
    assertThat(FlinkKeys.HEARTBEAT_RPC_FAILURE_THRESHOLD)
        .isEqualTo(HeartbeatManagerOptions.HEARTBEAT_RPC_FAILURE_THRESHOLD.key());
    assertThat(FlinkKeys.MAX_PARALLELISM).isEqualTo(PipelineOptions.MAX_PARALLELISM.key());
    assertThat(FlinkKeys.CHECKPOINT_STATISTICS_CACHE_TIMEOUT)
        .isEqualTo(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT.key());
    assertThat(FlinkKeys.WEB_REFRESH_INTERVAL).isEqualTo(WebOptions.REFRESH_INTERVAL.key());
    assertThat(FlinkKeys.TASK_SLOTS).isEqualTo(TaskManagerOptions.NUM_TASK_SLOTS.key());
    assertThat(FlinkKeys.RESTART_STRATEGY_TYPE)
        .isEqualTo(RestartStrategyOptions.RESTART_STRATEGY.key())
        .startsWith(FlinkKeys.RESTART_STRATEGY_PREFIX);
    assertThat(FlinkKeys.RESTART_INITIAL_BACKOFF)
        .isEqualTo(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF.key());
    assertThat(FlinkKeys.RESTART_RESET_BACKOFF_THRESHOLD)
        .isEqualTo(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD
                .key());
    assertThat(ReactiveDefaults.SCHEDULER_MODE).isEqualTo(SchedulerExecutionMode.REACTIVE.name());
  }

  @Test
  void theReactiveModeDefaultsTheyReplaceAreWhatFlinkShips() {
    // Flink's own defaults, which ReactiveDefaults tightens: 10 s / 50 s heartbeats, 30 s cooldown.
    assertThat(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT.defaultValue().toString())
        .isIn("50000", "PT50S");
    assertThat(JobManagerOptions.SCHEDULER_SCALING_INTERVAL_MIN.defaultValue().toSeconds())
        .isEqualTo(30);
    // Not defaulted, relied on: 2 failed heartbeat RPCs mark a killed TaskManager unreachable.
    assertThat(HeartbeatManagerOptions.HEARTBEAT_RPC_FAILURE_THRESHOLD.defaultValue()).isEqualTo(2);
    // Checkpoint statistics are cached as long as the web UI refreshes, 3 s.
    assertThat(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT.defaultValue().toMillis())
        .isEqualTo(3000);
    assertThat(WebOptions.REFRESH_INTERVAL.defaultValue().toString()).isIn("3000", "PT3S");
    // The exponential-delay backoff that the 1.x defaults start at 10 s instead: 1 s, x1.5 for
    // each failure within 1 h, at most 1 min, +-10% jitter, restarts forever.
    assertThat(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF
                .defaultValue())
        .isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD
                .defaultValue())
        .isEqualTo(java.time.Duration.ofHours(1));
    assertThat(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER
                .defaultValue())
        .isEqualTo(1.5);
    assertThat(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF.defaultValue())
        .isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(
            RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR.defaultValue())
        .isEqualTo(0.1);
    assertThat(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS.defaultValue())
        .isEqualTo(Integer.MAX_VALUE);
  }
}
