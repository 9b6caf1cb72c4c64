package dev.flinkspot.controller;

import dev.flinkspot.kube.EventBatch;
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
 * retry runs both again) nor when the deployment is not admitted. The Events of both steps are one
 * {@link EventBatch}: a deployment that is placed and gets its HPA in one pass has one Event.
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
  private final EventRecorder events;

  private PlacementStep(
      FlinkDeploymentReconciler placement, HpaReconciler hpa, EventRecorder events) {
    this.placement = placement;
    this.hpa = hpa;
    this.events = events;
  }

  /**
   * @param hpasTargeting flinkspot's HPAs of a deployment (the informer cache in the runtime)
   * @param hpaByName flinkspot's HPA by namespace and name (the same cache)
   * @param admission whether the admission webhook runs (the controller's {@code --webhook})
   */
  public static PlacementStep of(
      Writer writer,
      PolicyLookup policies,
      EventRecorder events,
      HpaLookup hpasTargeting,
      BiFunction<String, String, HorizontalPodAutoscaler> hpaByName,
      boolean admission) {
    return new PlacementStep(
        new FlinkDeploymentReconciler(writer, policies, events, hpasTargeting, admission),
        new HpaReconciler(writer, policies, hpaByName, events),
        events);
  }

  public Outcome reconcile(GenericKubernetesResource deployment) {
    var batch = new EventBatch(events);
    try {
      var placed = placement.reconcile(deployment, batch);
      if (placed == FlinkDeploymentReconciler.Result.RETRY
          || placed == FlinkDeploymentReconciler.Result.NOT_ADMITTED) {
        return new Outcome(placed, null);
      }
      return new Outcome(placed, hpa.reconcile(deployment, batch));
    } finally {
      // Also after a refused write (it throws): its RepairFailed Event is in the batch.
      batch.flush();
    }
  }
}
