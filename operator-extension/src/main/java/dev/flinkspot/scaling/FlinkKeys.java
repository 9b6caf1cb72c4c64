package dev.flinkspot.scaling;

import dev.flinkspot.flink.FlinkConfiguration;

/**
 * The Flink 1.20 configuration keys the scaling layer reads or defaults. Kept as strings (the
 * decision layer must not depend on which flink-core the Flink operator's API pulls in);
 * FlinkKeysTest checks them against flink-core's {@code ConfigOption}s.
 */
public final class FlinkKeys {

  /** {@code JobManagerOptions.SCHEDULER_MODE}. */
  public static final String SCHEDULER_MODE = FlinkConfiguration.SCHEDULER_MODE;

  /** {@code JobManagerOptions.RESOURCE_STABILIZATION_TIMEOUT}. */
  public static final String RESOURCE_STABILIZATION_TIMEOUT =
      "jobmanager.adaptive-scheduler.resource-stabilization-timeout";

  /** {@code JobManagerOptions.SCHEDULER_SCALING_INTERVAL_MIN}. */
  public static final String SCALING_INTERVAL_MIN =
      "jobmanager.adaptive-scheduler.scaling-interval.min";

  /** {@code JobManagerOptions.SCHEDULER_SCALING_INTERVAL_MAX}. */
  public static final String SCALING_INTERVAL_MAX =
      "jobmanager.adaptive-scheduler.scaling-interval.max";

  /** {@code HeartbeatManagerOptions.HEARTBEAT_INTERVAL}. */
  public static final String HEARTBEAT_INTERVAL = "heartbeat.interval";

  /** {@code HeartbeatManagerOptions.HEARTBEAT_TIMEOUT}. */
  public static final String HEARTBEAT_TIMEOUT = "heartbeat.timeout";

  /**
   * {@code HeartbeatManagerOptions.HEARTBEAT_RPC_FAILURE_THRESHOLD} (1.14+): a heartbeat target
   * whose heartbeat RPCs failed this many times in a row is unreachable, detected in {@code
   * heartbeat.interval} x threshold. Not defaulted: Flink's 2 already gives ~6 s with the 3 s
   * interval of {@link ReactiveDefaults#HEARTBEAT_INTERVAL} when a killed TaskManager's port
   * refuses connections; 1 would fail a job on one lost RPC ("setting this value too low can
   * produce false positives", its description in flink-core 1.20). A node that vanishes answers
   * nothing, so there the 15 s {@code heartbeat.timeout} is the bound. FlinkKeysTest pins the
   * default.
   */
  public static final String HEARTBEAT_RPC_FAILURE_THRESHOLD = "heartbeat.rpc-failure-threshold";

  /**
   * {@code RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT} (1.18+, still in 2.2): how long the
   * JobManager serves {@code GET /jobs/<id>/checkpoints} from a cache, by default {@link
   * #WEB_REFRESH_INTERVAL}, 3 s (flink-runtime {@code rest/handler/RestHandlerConfiguration
   * .fromConfiguration}).
   */
  public static final String CHECKPOINT_STATISTICS_CACHE_TIMEOUT =
      "rest.cache.checkpoint-statistics.timeout";

  /** {@code WebOptions.REFRESH_INTERVAL}, the fallback of the key above. */
  public static final String WEB_REFRESH_INTERVAL = "web.refresh-interval";

  /** {@code RestartStrategyOptions.RESTART_STRATEGY}. */
  public static final String RESTART_STRATEGY_TYPE = "restart-strategy.type";

  /** The pre-1.13 spelling of the restart strategy key, still honoured as a fallback. */
  public static final String RESTART_STRATEGY_LEGACY = "restart-strategy";

  /** What every restart strategy key starts with: the type, the legacy key and their settings. */
  public static final String RESTART_STRATEGY_PREFIX = "restart-strategy";

  /**
   * {@code RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF}: the wait
   * before the first restart after a failure (Flink: 1 s), growing by the backoff multiplier (1.5)
   * for each failure that follows within the reset threshold, up to the max backoff (1 min).
   */
  public static final String RESTART_INITIAL_BACKOFF =
      "restart-strategy.exponential-delay.initial-backoff";

  /**
   * {@code RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD}: how
   * long a job must run without failure for the backoff to fall back to the initial one (Flink: 1
   * h).
   */
  public static final String RESTART_RESET_BACKOFF_THRESHOLD =
      "restart-strategy.exponential-delay.reset-backoff-threshold";

  /**
   * {@code CheckpointingOptions.CHECKPOINTING_INTERVAL} (1.20; {@code
   * ExecutionCheckpointingOptions} before).
   */
  public static final String CHECKPOINTING_INTERVAL = "execution.checkpointing.interval";

  /** {@code PipelineOptions.MAX_PARALLELISM}. */
  public static final String MAX_PARALLELISM = FlinkConfiguration.MAX_PARALLELISM;

  /** {@code TaskManagerOptions.NUM_TASK_SLOTS}. */
  public static final String TASK_SLOTS = FlinkConfiguration.TASK_SLOTS;

  /** The Flink operator's own autoscaler switch (operator 1.8+; the older key is also read). */
  public static final String OPERATOR_AUTOSCALER_ENABLED = "job.autoscaler.enabled";

  /** The Flink operator's autoscaler switch before 1.8. */
  public static final String OPERATOR_AUTOSCALER_ENABLED_LEGACY =
      "kubernetes.operator.job.autoscaler.enabled";

  private FlinkKeys() {}
}
