package dev.flinkspot.controller;

import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.scaling.HpaLookup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.function.BiFunction;

/**
 * One deployment's reconcile as the placement loop runs it, and as the synchronous test driver runs
 * it too (one wiring for both): placement and Reactive Mode defaults first, then the HPA step,
 * which does not run when the placement write lost a race (its view of the deployment is stale; the
 * retry runs both again).
 */
public final class PlacementStep {

  /** What the two steps did; {@code hpa} is null when the HPA step did not run. */
  public record Outcome(FlinkDeploymentReconciler.Result placement, HpaReconciler.Result hpa) {
    public boolean retry() {
      return placement == FlinkDeploymentReconciler.Result.RETRY
          || hpa == HpaReconciler.Result.RETRY;
    }
  }

  private final FlinkDeploymentReconciler placement;
  private final HpaReconciler hpa;

  private PlacementStep(FlinkDeploymentReconciler placement, HpaReconciler hpa) {
    this.placement = placement;
    this.hpa = hpa;
  }

  /**
   * @param hpasInNamespace flinkspot's HPAs of a namespace (the informer cache in the runtime)
   * @param hpaByName flinkspot's HPA by namespace and name (the same cache)
   */
  public static PlacementStep of(
      Writer writer,
      PolicyLookup policies,
      EventRecorder events,
      HpaLookup hpasInNamespace,
      BiFunction<String, String, HorizontalPodAutoscaler> hpaByName) {
    return new PlacementStep(
        new FlinkDeploymentReconciler(writer, policies, events, hpasInNamespace),
        new HpaReconciler(writer, policies, hpaByName, events));
  }

  public Outcome reconcile(GenericKubernetesResource deployment) {
    var placed = placement.reconcile(deployment);
    if (placed == FlinkDeploymentReconciler.Result.RETRY) {
      return new Outcome(placed, null);
    }
    return new Outcome(placed, hpa.reconcile(deployment));
  }
}
