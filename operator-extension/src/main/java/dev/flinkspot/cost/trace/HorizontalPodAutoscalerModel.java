package dev.flinkspot.cost.trace;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The Kubernetes HPA controller's decision for one {@code autoscaling/v2} HPA on CPU utilization,
 * read from the HPA object itself (the one {@link dev.flinkspot.scaling.HpaSpecs} writes): the
 * replica calculation with its 10% tolerance and unready pods counted at 0% when scaling up
 * (kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go), then the behavior:
 * stabilization windows over past recommendations and the scale-up/scale-down policies over their
 * periods with {@code selectPolicy} (pkg/controller/podautoscaler/horizontal.go,
 * stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
 * calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors). Synced every 15 s,
 * kube-controller-manager's default {@code --horizontal-pod-autoscaler-sync-period}.
 */
final class HorizontalPodAutoscalerModel {
  static final long SYNC_PERIOD_SECONDS = 15;

  /** kube-controller-manager's default {@code --horizontal-pod-autoscaler-tolerance}. */
  static final double TOLERANCE = 0.1;

  private final int minReplicas;
  private final int maxReplicas;
  private final double targetUtilization;
  private final HPAScalingRules scaleUp;
  private final HPAScalingRules scaleDown;
  private final Deque<long[]> recommendations = new ArrayDeque<>();
  private final List<long[]> scaleUpEvents = new ArrayList<>();
  private final List<long[]> scaleDownEvents = new ArrayList<>();
  private boolean seeded;

  HorizontalPodAutoscalerModel(HorizontalPodAutoscaler hpa) {
    HorizontalPodAutoscalerSpec spec = hpa.getSpec();
    minReplicas = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
    maxReplicas = spec.getMaxReplicas();
    Integer target = null;
    for (MetricSpec m : spec.getMetrics()) {
      if ("Resource".equals(m.getType()) && "cpu".equals(m.getResource().getName())) {
        target = m.getResource().getTarget().getAverageUtilization();
      }
    }
    if (target == null || target <= 0) {
      throw new IllegalArgumentException("the HPA has no CPU utilization target");
    }
    targetUtilization = target;
    scaleUp = spec.getBehavior().getScaleUp();
    scaleDown = spec.getBehavior().getScaleDown();
  }

  int minReplicas() {
    return minReplicas;
  }

  int maxReplicas() {
    return maxReplicas;
  }

  /**
   * One sync: the replicas the HPA sets, from the current {@code spec.replicas}, the ready pods and
   * their mean CPU utilization (percent of requests). The others are pending (unready).
   */
  int sync(long now, int currentReplicas, int readyPods, double readyUtilizationPercent) {
    if (!seeded) {
      // As the controller does for an HPA it has not seen: the current size is the first
      // recommendation, so a new HPA does not scale down before its window has passed.
      recommendations.addLast(new long[] {now, currentReplicas});
      seeded = true;
    }
    int proposal = replicasForCpu(currentReplicas, readyPods, readyUtilizationPercent);
    int stabilized = stabilize(now, currentReplicas, proposal);
    int desired = limitRate(now, currentReplicas, stabilized);
    if (desired > currentReplicas) {
      scaleUpEvents.add(new long[] {now, desired - currentReplicas});
    } else if (desired < currentReplicas) {
      scaleDownEvents.add(new long[] {now, currentReplicas - desired});
    }
    return desired;
  }

  /** replica_calculator.go GetResourceReplicas, for pods that all request the same CPU. */
  int replicasForCpu(int current, int ready, double utilization) {
    if (ready == 0) {
      return current;
    }
    double usageRatio = utilization / targetUtilization;
    int unready = Math.max(0, current - ready);
    if (unready == 0 || usageRatio <= 1.0) {
      if (Math.abs(1.0 - usageRatio) <= TOLERANCE) {
        return current;
      }
      return (int) Math.ceil(usageRatio * ready);
    }
    // Scaling up with pods not yet ready: count them at 0% so as not to overshoot.
    double newRatio = utilization * ready / (targetUtilization * (ready + unready));
    if (Math.abs(1.0 - newRatio) <= TOLERANCE || newRatio < 1.0) {
      return current;
    }
    int replicas = (int) Math.ceil(newRatio * (ready + unready));
    return Math.max(replicas, current);
  }

  private int stabilize(long now, int current, int proposal) {
    long upWindow = window(scaleUp);
    long downWindow = window(scaleDown);
    long keep = Math.max(upWindow, downWindow);
    while (!recommendations.isEmpty() && recommendations.peekFirst()[0] <= now - keep) {
      recommendations.removeFirst();
    }
    int up = proposal;
    int down = proposal;
    for (long[] r : recommendations) {
      if (r[0] > now - upWindow) {
        up = (int) Math.min(up, r[1]);
      }
      if (r[0] > now - downWindow) {
        down = (int) Math.max(down, r[1]);
      }
    }
    recommendations.addLast(new long[] {now, proposal});
    int recommendation = current;
    if (recommendation < up) {
      recommendation = up;
    }
    if (recommendation > down) {
      recommendation = down;
    }
    return recommendation;
  }

  private int limitRate(long now, int current, int desired) {
    if (desired > current) {
      int limit = Math.max(current, scaleUpLimit(now, current));
      return Math.min(desired, Math.min(maxReplicas, limit));
    }
    if (desired < current) {
      int limit = Math.min(current, scaleDownLimit(now, current));
      return Math.max(desired, Math.max(minReplicas, limit));
    }
    return Math.max(minReplicas, Math.min(maxReplicas, desired));
  }

  private int scaleUpLimit(long now, int current) {
    if ("Disabled".equals(scaleUp.getSelectPolicy())) {
      return current;
    }
    boolean min = "Min".equals(scaleUp.getSelectPolicy());
    int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (HPAScalingPolicy p : scaleUp.getPolicies()) {
      int periodStart =
          current
              - changeIn(scaleUpEvents, now, p.getPeriodSeconds())
              + changeIn(scaleDownEvents, now, p.getPeriodSeconds());
      int proposed =
          "Pods".equals(p.getType())
              ? periodStart + p.getValue()
              : (int) Math.ceil(periodStart * (1 + p.getValue() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  private int scaleDownLimit(long now, int current) {
    if ("Disabled".equals(scaleDown.getSelectPolicy())) {
      return current;
    }
    boolean min = "Min".equals(scaleDown.getSelectPolicy());
    int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (HPAScalingPolicy p : scaleDown.getPolicies()) {
      int periodStart =
          current
              + changeIn(scaleDownEvents, now, p.getPeriodSeconds())
              - changeIn(scaleUpEvents, now, p.getPeriodSeconds());
      int proposed =
          "Pods".equals(p.getType())
              ? periodStart - p.getValue()
              : (int) (periodStart * (1 - p.getValue() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  private static int changeIn(List<long[]> events, long now, int periodSeconds) {
    int sum = 0;
    for (long[] e : events) {
      if (e[0] > now - periodSeconds) {
        sum += (int) e[1];
      }
    }
    // Forget what no period looks back to (the longest is capped at 1800 s by the API).
    events.removeIf(e -> e[0] <= now - 1800);
    return sum;
  }

  private static long window(HPAScalingRules rules) {
    Integer w = rules.getStabilizationWindowSeconds();
    return w == null ? 0 : w;
  }
}
