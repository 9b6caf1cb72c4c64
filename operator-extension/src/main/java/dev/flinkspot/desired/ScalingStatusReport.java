package dev.flinkspot.desired;

import dev.flinkspot.policy.DeploymentScaling;
import dev.flinkspot.policy.ScalingCounts;
import dev.flinkspot.scaling.HpaSpecs;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A policy's scaling as its HPAs report it: a {@link DeploymentScaling} per governed deployment
 * with something to report (no HPA, no HPA status yet, AbleToScale=False, ScalingActive=False,
 * ScalingLimited=True; in that order of urgency, then by name), the counts of each, and the {@code
 * ScalingReady} condition summarising them. Healthy deployments are only counted: their replica
 * figures change with load and would rewrite the status on each HPA sync (Prometheus has them).
 * Pure: HPAs are passed in.
 *
 * <p>ScalingReady is False when a deployment has no HPA of ours, or its HPA says AbleToScale=False
 * or ScalingActive=False (e.g. FailedGetResourceMetric without a metrics server); Unknown while an
 * HPA has reported nothing yet or the policy is invalid; True otherwise (ScalingLimited at a bound
 * is normal and only named in the message).
 */
public final class ScalingStatusReport {

  public static final String SCALING_READY = "ScalingReady";
  public static final String ABLE_TO_SCALE = "AbleToScale";
  public static final String SCALING_ACTIVE = "ScalingActive";
  public static final String SCALING_LIMITED = "ScalingLimited";
  private static final int NAMED = 5;
  // urgency of a reported deployment: lower first (the status lists only the first ones)
  private static final int NO_HPA = 0;
  private static final int CANNOT_SCALE = 1;
  private static final int NO_STATUS = 2;
  private static final int AT_BOUND = 3;

  private record Reported(int urgency, DeploymentScaling entry) {}

  private ScalingStatusReport() {}

  /**
   * The entries (all of them, most urgent first: the status keeps the first ones), the counts and
   * the condition (without transition time); null counts and condition when not scaled.
   */
  public record Report(List<DeploymentScaling> entries, ScalingCounts counts, Summary condition) {}

  /** The ScalingReady condition's status, reason and message. */
  public record Summary(String status, String reason, String message) {}

  /**
   * @param scaled whether the policy's spec asks for scaling (valid or not)
   * @param valid whether the policy is valid
   * @param governed the governed deployments' names, sorted
   * @param hpaOf the cached HPA of that name in the policy's namespace, or null
   */
  public static Report of(
      boolean scaled,
      boolean valid,
      List<String> governed,
      Function<String, HorizontalPodAutoscaler> hpaOf) {
    if (!scaled) {
      return new Report(List.of(), null, null);
    }
    List<Reported> reported = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unable = new ArrayList<>();
    List<String> inactive = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> limited = new ArrayList<>();
    for (String name : governed) {
      HorizontalPodAutoscaler hpa = hpaOf.apply(name);
      if (hpa == null || !HpaSpecs.isOurs(hpa) || !HpaSpecs.targets(hpa, name)) {
        reported.add(
            new Reported(
                NO_HPA, new DeploymentScaling(name, null, null, null, null, null, null, null)));
        missing.add(name);
        continue;
      }
      var status = hpa.getStatus();
      List<HorizontalPodAutoscalerCondition> conditions =
          status == null || status.getConditions() == null ? List.of() : status.getConditions();
      var entry =
          new DeploymentScaling(
              name,
              hpa.getMetadata().getName(),
              hpa.getSpec().getMinReplicas(),
              hpa.getSpec().getMaxReplicas(),
              status == null ? null : status.getCurrentReplicas(),
              status == null ? null : status.getDesiredReplicas(),
              status == null ? null : status.getLastScaleTime(),
              conditions.isEmpty() ? null : List.copyOf(conditions));
      if (conditions.isEmpty()) {
        pending.add(name);
        reported.add(new Reported(NO_STATUS, entry));
        continue;
      }
      var notAble = is(conditions, ABLE_TO_SCALE, "False");
      var notActive = is(conditions, SCALING_ACTIVE, "False");
      var atBound = is(conditions, SCALING_LIMITED, "True");
      notAble.ifPresent(c -> unable.add(name + " (" + c + ")"));
      notActive.ifPresent(c -> inactive.add(name + " (" + c + ")"));
      atBound.ifPresent(c -> limited.add(name + " (" + c + ")"));
      if (notAble.isPresent() || notActive.isPresent()) {
        reported.add(new Reported(CANNOT_SCALE, entry));
      } else if (atBound.isPresent()) {
        reported.add(new Reported(AT_BOUND, entry));
      }
    }
    var counts =
        new ScalingCounts(
            governed.size() - missing.size(),
            missing.size(),
            pending.size(),
            unable.size(),
            inactive.size(),
            limited.size());
    return new Report(
        reported.stream()
            .sorted(java.util.Comparator.comparingInt(Reported::urgency))
            .map(Reported::entry)
            .toList(),
        counts,
        summary(valid, governed, missing, unable, inactive, pending, limited));
  }

  private static Summary summary(
      boolean valid,
      List<String> governed,
      List<String> missing,
      List<String> unable,
      List<String> inactive,
      List<String> pending,
      List<String> limited) {
    if (!valid) {
      return new Summary(
          "Unknown",
          "PolicyInvalid",
          "the policy is invalid (see Ready): existing HPAs keep their last good spec");
    }
    List<String> problems = new ArrayList<>();
    String reason = null;
    if (!missing.isEmpty()) {
      reason = "HpaMissing";
      problems.add("no flinkspot HPA for " + names(missing) + " (see their Events)");
    }
    if (!unable.isEmpty()) {
      reason = reason == null ? "NotAbleToScale" : reason;
      problems.add("AbleToScale=False: " + names(unable));
    }
    if (!inactive.isEmpty()) {
      reason = reason == null ? "ScalingInactive" : reason;
      problems.add("ScalingActive=False: " + names(inactive) + hints(inactive));
    }
    if (reason != null) {
      return new Summary("False", reason, String.join("; ", problems));
    }
    if (!pending.isEmpty()) {
      return new Summary("Unknown", "AwaitingHpaStatus", "no HPA status yet for " + names(pending));
    }
    String message =
        governed.size()
            + " HPA(s) scaling"
            + (limited.isEmpty() ? "" : "; at a bound (ScalingLimited): " + names(limited));
    return new Summary("True", governed.isEmpty() ? "NoDeployments" : "Active", message);
  }

  /**
   * What the HPA reasons seen mean, for the two a fresh install meets. The HPA controller sets
   * ScalingActive=False {@code InvalidSelector} while the target's scale has no selector and {@code
   * FailedGetResourceMetric} when the metrics API has no CPU figures (kubernetes
   * pkg/controller/podautoscaler/horizontal.go). The FlinkDeployment CRD takes the scale selector
   * from {@code status.taskManager.labelSelector}, which the Flink operator writes when it deploys
   * the job.
   */
  private static String hints(List<String> inactive) {
    StringBuilder out = new StringBuilder();
    if (inactive.stream().anyMatch(i -> i.endsWith("(InvalidSelector)"))) {
      out.append(
          "; InvalidSelector: the FlinkDeployment's scale subresource has no selector until the"
              + " Flink operator deploys the job and sets status.taskManager.labelSelector; check"
              + " that the Flink Kubernetes Operator runs and has deployed it");
    }
    if (inactive.stream().anyMatch(i -> i.endsWith("(FailedGetResourceMetric)"))) {
      out.append("; FailedGetResourceMetric: the HPA gets no CPU metrics; install metrics-server");
    }
    return out.toString();
  }

  /** The condition's reason when the HPA has that condition with that status. */
  private static java.util.Optional<String> is(
      List<HorizontalPodAutoscalerCondition> conditions, String type, String status) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(c -> c.getReason() == null ? "" : c.getReason())
        .findFirst();
  }

  private static String names(List<String> names) {
    return names.size() <= NAMED
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, NAMED)) + " and " + (names.size() - NAMED) + " more";
  }
}
