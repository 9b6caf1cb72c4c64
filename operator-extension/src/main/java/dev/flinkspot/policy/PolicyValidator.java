package dev.flinkspot.policy;

import dev.flinkspot.policy.FlinkSpotPolicySpec.Toleration;
import dev.flinkspot.scaling.ScalingPolicyValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a {@link FlinkSpotPolicySpec} beyond what the CRD schema can: each rule returns an
 * optional message; {@link #validate} joins them. Used by the controller (status condition + event)
 * and by the placement path (an invalid policy places nothing).
 */
public final class PolicyValidator {

  private static final Set<String> OPERATORS = Set.of("Exists", "Equal");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Set<String> WHEN_UNSATISFIABLE = Set.of("DoNotSchedule", "ScheduleAnyway");

  private static final List<Function<FlinkSpotPolicySpec, Optional<String>>> RULES =
      List.of(
          PolicyValidator::capacityLabels,
          s ->
              tolerations(
                  "jobManager", s.jobManager() == null ? null : s.jobManager().tolerations()),
          s ->
              tolerations(
                  "taskManager", s.taskManager() == null ? null : s.taskManager().tolerations()),
          PolicyValidator::nodeSelectors,
          PolicyValidator::spread,
          PolicyValidator::spare,
          s -> ScalingPolicyValidator.validate(s.scaling()));

  private PolicyValidator() {}

  /** All problems of the spec joined into one message, or empty when it is valid. */
  public static Optional<String> validate(FlinkSpotPolicySpec spec) {
    if (spec == null) {
      return Optional.empty();
    }
    List<String> messages = new ArrayList<>();
    for (var rule : RULES) {
      rule.apply(spec).ifPresent(messages::add);
    }
    return messages.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", messages));
  }

  static Optional<String> spare(FlinkSpotPolicySpec spec) {
    Integer spare = spec.taskManager() == null ? null : spec.taskManager().spare();
    return spare == null || (spare >= 0 && spare <= PlacementPolicy.MAX_SPARE)
        ? Optional.empty()
        : Optional.of(
            "taskManager.spare must be 0 to "
                + PlacementPolicy.MAX_SPARE
                + " placeholder pods per deployment, not "
                + spare);
  }

  static Optional<String> capacityLabels(FlinkSpotPolicySpec spec) {
    var labels = spec.capacityLabels();
    if (labels == null || labels.scheme() == null) {
      return labels != null && (labels.key() != null || labels.onDemandValues() != null)
          ? Optional.of("capacityLabels.key and values are only allowed with scheme Custom")
          : Optional.empty();
    }
    if (labels.scheme() != LabelScheme.Custom) {
      return labels.key() != null || labels.onDemandValues() != null || labels.spotValues() != null
          ? Optional.of(
              "capacityLabels.key, onDemandValues and spotValues are only allowed with scheme"
                  + " Custom (scheme "
                  + labels.scheme()
                  + " fixes them)")
          : Optional.empty();
    }
    if (labels.key() == null || labels.key().isBlank()) {
      return Optional.of("capacityLabels.key is required with scheme Custom");
    }
    if (labels.onDemandValues() == null || labels.onDemandValues().isEmpty()) {
      return Optional.of("capacityLabels.onDemandValues must name at least one value");
    }
    if (labels.spotValues() == null || labels.spotValues().isEmpty()) {
      return Optional.of("capacityLabels.spotValues must name at least one value");
    }
    Set<String> both = new HashSet<>(labels.onDemandValues());
    both.retainAll(labels.spotValues());
    return both.isEmpty()
        ? Optional.empty()
        : Optional.of("capacityLabels values " + both + " are both On-Demand and Spot");
  }

  static Optional<String> tolerations(String component, List<Toleration> tolerations) {
    if (tolerations == null) {
      return Optional.empty();
    }
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      String at = component + ".tolerations[" + i + "]";
      String operator = t.operator() == null ? "Equal" : t.operator();
      if (!OPERATORS.contains(operator)) {
        return Optional.of(at + ".operator must be Exists or Equal, not " + operator);
      }
      if ((t.key() == null || t.key().isEmpty()) && !"Exists".equals(operator)) {
        return Optional.of(at + " has no key, so its operator must be Exists");
      }
      if ("Exists".equals(operator) && t.value() != null && !t.value().isEmpty()) {
        return Optional.of(at + " has operator Exists, so it must not have a value");
      }
      if (t.effect() != null && !t.effect().isEmpty() && !EFFECTS.contains(t.effect())) {
        return Optional.of(
            at + ".effect must be NoSchedule, PreferNoSchedule or NoExecute, not " + t.effect());
      }
      if (t.tolerationSeconds() != null && !"NoExecute".equals(t.effect())) {
        return Optional.of(at + ".tolerationSeconds is only allowed with effect NoExecute");
      }
    }
    return Optional.empty();
  }

  static Optional<String> nodeSelectors(FlinkSpotPolicySpec spec) {
    String capacityKey = capacityKey(spec);
    if (capacityKey == null) {
      return Optional.empty();
    }
    for (var entry :
        Map.of(
                "jobManager",
                spec.jobManager() == null || spec.jobManager().nodeSelector() == null
                    ? Map.<String, String>of()
                    : spec.jobManager().nodeSelector(),
                "taskManager",
                spec.taskManager() == null || spec.taskManager().nodeSelector() == null
                    ? Map.<String, String>of()
                    : spec.taskManager().nodeSelector())
            .entrySet()) {
      if (entry.getValue().containsKey(capacityKey)) {
        return Optional.of(
            entry.getKey()
                + ".nodeSelector must not name the capacity label "
                + capacityKey
                + ": the policy sets it");
      }
    }
    return Optional.empty();
  }

  static Optional<String> spread(FlinkSpotPolicySpec spec) {
    var spread = spec.taskManager() == null ? null : spec.taskManager().spread();
    if (spread == null) {
      return Optional.empty();
    }
    if (spread.maxSkew() != null && spread.maxSkew() < 1) {
      return Optional.of("taskManager.spread.maxSkew must be at least 1, not " + spread.maxSkew());
    }
    if (spread.whenUnsatisfiable() != null
        && !WHEN_UNSATISFIABLE.contains(spread.whenUnsatisfiable())) {
      return Optional.of(
          "taskManager.spread.whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway, not "
              + spread.whenUnsatisfiable());
    }
    if (spread.topologyKeys() != null) {
      Set<String> distinct = spread.topologyKeys().stream().collect(Collectors.toSet());
      if (distinct.size() != spread.topologyKeys().size()) {
        return Optional.of("taskManager.spread.topologyKeys must not repeat a key");
      }
      if (distinct.stream().anyMatch(k -> k == null || k.isBlank())) {
        return Optional.of("taskManager.spread.topologyKeys must not contain an empty key");
      }
    }
    return Optional.empty();
  }

  private static String capacityKey(FlinkSpotPolicySpec spec) {
    var labels = spec.capacityLabels();
    LabelScheme scheme =
        labels == null || labels.scheme() == null
            ? PlacementPolicy.DEFAULT_SCHEME
            : labels.scheme();
    return scheme == LabelScheme.Custom ? labels.key() : scheme.key();
  }
}
