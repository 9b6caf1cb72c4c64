package dev.flinkspot.scaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@link ScalingSpec} with every default applied: what the reactive defaults, the
 * validator and the HPA spec read. Built only by {@link #from}, which refuses an invalid spec.
 */
public record ScalingPolicy(
    boolean enabled,
    int minTaskManagers,
    int maxTaskManagers,
    int targetCpuUtilizationPercent,
    ScaleRules scaleUp,
    ScaleRules scaleDown,
    boolean enforceCheckpointing,
    List<MetricSpec> metrics) {

  /** Minimum TaskManagers: one keeps the job running when idle. */
  public static final int DEFAULT_MIN_TASK_MANAGERS = 1;

  /** Middle of the 50-75% CPU band that AWS calls right-sized: headroom for bursts and replay. */
  public static final int DEFAULT_TARGET_CPU_PERCENT = 65;

  /**
   * Scale up promptly: no stabilisation, double or add 4 TaskManagers per minute (whichever is
   * more); one minute matches Flink's rescale cooldown, so each HPA step costs one restart.
   */
  public static final ScaleRules DEFAULT_SCALE_UP = new ScaleRules(0, 60, 4, 100);

  /**
   * Scale down slowly: the load must stay low for 5 minutes, then one step per 5-minute window
   * removes 1 TaskManager or 25% of them (whichever is more), since each step is a restart.
   */
  public static final ScaleRules DEFAULT_SCALE_DOWN = new ScaleRules(300, 300, 1, 25);

  /** Scaling off: what a policy without a {@code scaling} section means. */
  public static final ScalingPolicy DISABLED =
      new ScalingPolicy(
          false,
          DEFAULT_MIN_TASK_MANAGERS,
          DEFAULT_MIN_TASK_MANAGERS,
          DEFAULT_TARGET_CPU_PERCENT,
          DEFAULT_SCALE_UP,
          DEFAULT_SCALE_DOWN,
          false,
          List.of());

  public ScalingPolicy {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** One direction of the HPA behaviour, with defaults applied. */
  public record ScaleRules(
      int stabilizationWindowSeconds,
      int periodSeconds,
      int maxTaskManagersPerPeriod,
      int maxPercentPerPeriod) {

    static ScaleRules from(ScalingSpec.Rules r, ScaleRules defaults) {
      if (r == null) {
        return defaults;
      }
      return new ScaleRules(
          r.stabilizationWindowSeconds() == null
              ? defaults.stabilizationWindowSeconds()
              : r.stabilizationWindowSeconds(),
          r.periodSeconds() == null ? defaults.periodSeconds() : r.periodSeconds(),
          r.maxTaskManagersPerPeriod() == null
              ? defaults.maxTaskManagersPerPeriod()
              : r.maxTaskManagersPerPeriod(),
          r.maxPercentPerPeriod() == null
              ? defaults.maxPercentPerPeriod()
              : r.maxPercentPerPeriod());
    }
  }

  /** The settings of a valid spec, or the validator's message for an invalid one. */
  public static Result from(ScalingSpec spec) {
    if (spec == null) {
      return new Result(DISABLED, null);
    }
    Optional<String> invalid = ScalingPolicyValidator.validate(spec);
    if (invalid.isPresent()) {
      return new Result(null, invalid.get());
    }
    if (Boolean.FALSE.equals(spec.enabled())) {
      return new Result(DISABLED, null);
    }
    int min = spec.minTaskManagers() == null ? DEFAULT_MIN_TASK_MANAGERS : spec.minTaskManagers();
    return new Result(
        new ScalingPolicy(
            true,
            min,
            spec.maxTaskManagers(),
            spec.targetCpuUtilizationPercent() == null
                ? DEFAULT_TARGET_CPU_PERCENT
                : spec.targetCpuUtilizationPercent(),
            ScaleRules.from(spec.scaleUp(), DEFAULT_SCALE_UP),
            ScaleRules.from(spec.scaleDown(), scaleDownDefaults(spec.scaleDown())),
            Boolean.TRUE.equals(spec.enforceCheckpointing()),
            spec.metrics()),
        null);
  }

  /**
   * A scale-down window set without a period keeps "one step per window": the period follows it.
   */
  private static ScaleRules scaleDownDefaults(ScalingSpec.Rules r) {
    if (r == null || r.stabilizationWindowSeconds() == null || r.periodSeconds() != null) {
      return DEFAULT_SCALE_DOWN;
    }
    int period =
        Math.max(
            1, Math.min(ScalingPolicyValidator.MAX_PERIOD_SECONDS, r.stabilizationWindowSeconds()));
    return new ScaleRules(
        DEFAULT_SCALE_DOWN.stabilizationWindowSeconds(),
        period,
        DEFAULT_SCALE_DOWN.maxTaskManagersPerPeriod(),
        DEFAULT_SCALE_DOWN.maxPercentPerPeriod());
  }

  /** Either a policy or the reason there is none (the policy is then Invalid). */
  public record Result(ScalingPolicy policy, String invalidMessage) {
    public boolean valid() {
      return policy != null;
    }
  }
}
