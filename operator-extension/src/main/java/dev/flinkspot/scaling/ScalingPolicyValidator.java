package dev.flinkspot.scaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a {@link ScalingSpec} beyond what the CRD schema can: each rule returns an optional
 * message naming the field and the fix; {@link #validate} joins them. Shared by the webhook and the
 * controller (an invalid policy is Invalid and its HPAs keep their last good spec).
 */
public final class ScalingPolicyValidator {

  /** The HPA API's upper bound for a behaviour's stabilisation window (one hour). */
  public static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;

  /** The HPA API's upper bound for a scaling policy's period (30 minutes). */
  public static final int MAX_PERIOD_SECONDS = 1800;

  private static final Map<String, Function<MetricSpec, Object>> METRIC_SOURCES =
      Map.of(
          "Resource", MetricSpec::getResource,
          "ContainerResource", MetricSpec::getContainerResource,
          "Pods", MetricSpec::getPods,
          "Object", MetricSpec::getObject,
          "External", MetricSpec::getExternal);

  private static final List<Function<ScalingSpec, Optional<String>>> RULES =
      List.of(
          ScalingPolicyValidator::bounds,
          ScalingPolicyValidator::targetCpu,
          s -> rules("scaling.scaleUp", s.scaleUp(), false),
          s -> rules("scaling.scaleDown", s.scaleDown(), true),
          ScalingPolicyValidator::metrics);

  private ScalingPolicyValidator() {}

  /** All problems of the spec joined into one message, or empty when it is valid or disabled. */
  public static Optional<String> validate(ScalingSpec spec) {
    if (spec == null || Boolean.FALSE.equals(spec.enabled())) {
      return Optional.empty();
    }
    List<String> messages = new ArrayList<>();
    for (var rule : RULES) {
      rule.apply(spec).ifPresent(messages::add);
    }
    return messages.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", messages));
  }

  static Optional<String> bounds(ScalingSpec s) {
    Integer max = s.maxTaskManagers();
    int min =
        s.minTaskManagers() == null ? ScalingPolicy.DEFAULT_MIN_TASK_MANAGERS : s.minTaskManagers();
    if (max == null) {
      return Optional.of(
          "scaling.maxTaskManagers is required when scaling is enabled: set the most TaskManagers"
              + " the HPA may run");
    }
    if (max < 1) {
      return Optional.of("scaling.maxTaskManagers must be at least 1, not " + max);
    }
    if (min < 1) {
      return Optional.of(
          "scaling.minTaskManagers must be at least 1, not "
              + min
              + ": a reactive job with no TaskManager stops processing");
    }
    if (max < min) {
      return Optional.of(
          "scaling.maxTaskManagers ("
              + max
              + ") is below scaling.minTaskManagers ("
              + min
              + "): raise maxTaskManagers or lower minTaskManagers");
    }
    return Optional.empty();
  }

  static Optional<String> targetCpu(ScalingSpec s) {
    Integer target = s.targetCpuUtilizationPercent();
    if (target != null && (target < 1 || target > 100)) {
      return Optional.of(
          "scaling.targetCpuUtilizationPercent must be between 1 and 100, not "
              + target
              + " (50-75 keeps TaskManagers right-sized; the default is "
              + ScalingPolicy.DEFAULT_TARGET_CPU_PERCENT
              + ")");
    }
    return Optional.empty();
  }

  static Optional<String> rules(String field, ScalingSpec.Rules r, boolean down) {
    if (r == null) {
      return Optional.empty();
    }
    Integer window = r.stabilizationWindowSeconds();
    if (window != null && (window < 0 || window > MAX_STABILIZATION_WINDOW_SECONDS)) {
      return Optional.of(
          field
              + ".stabilizationWindowSeconds must be between 0 and "
              + MAX_STABILIZATION_WINDOW_SECONDS
              + ", not "
              + window);
    }
    Integer period = r.periodSeconds();
    if (period != null && (period < 1 || period > MAX_PERIOD_SECONDS)) {
      return Optional.of(
          field + ".periodSeconds must be between 1 and " + MAX_PERIOD_SECONDS + ", not " + period);
    }
    if (r.maxTaskManagersPerPeriod() != null && r.maxTaskManagersPerPeriod() < 1) {
      return Optional.of(
          field
              + ".maxTaskManagersPerPeriod must be at least 1, not "
              + r.maxTaskManagersPerPeriod()
              + " (to stop scaling in this direction, set scaling.minTaskManagers or"
              + " maxTaskManagers)");
    }
    Integer percent = r.maxPercentPerPeriod();
    if (percent != null && (percent < 1 || (down && percent > 100))) {
      return Optional.of(
          field
              + ".maxPercentPerPeriod must be "
              + (down ? "between 1 and 100" : "at least 1")
              + ", not "
              + percent);
    }
    return Optional.empty();
  }

  static Optional<String> metrics(ScalingSpec s) {
    if (s.metrics() == null) {
      return Optional.empty();
    }
    for (int i = 0; i < s.metrics().size(); i++) {
      MetricSpec m = s.metrics().get(i);
      String at = "scaling.metrics[" + i + "]";
      if (m == null || m.getType() == null) {
        return Optional.of(
            at + ".type is required: one of Resource, ContainerResource, Pods, Object, External");
      }
      var source = METRIC_SOURCES.get(m.getType());
      if (source == null) {
        return Optional.of(
            at
                + ".type must be one of Resource, ContainerResource, Pods, Object, External, not "
                + m.getType());
      }
      if (source.apply(m) == null) {
        String field = Character.toLowerCase(m.getType().charAt(0)) + m.getType().substring(1);
        return Optional.of(at + " has type " + m.getType() + " but no ." + field + " section");
      }
      if ("Resource".equals(m.getType()) && "cpu".equals(m.getResource().getName())) {
        return Optional.of(
            at
                + " is a cpu Resource metric: set scaling.targetCpuUtilizationPercent instead (the"
                + " controller adds the CPU metric itself)");
      }
    }
    return Optional.empty();
  }
}
