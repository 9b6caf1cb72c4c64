package dev.flinkspot.controller;

import static dev.flinkspot.kube.Names.FLINK_DEPLOYMENT_KIND;

import dev.flinkspot.kube.Writer;
import dev.flinkspot.scaling.HpaSpecs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement + HPA loop: for each FlinkDeployment, the {@link PlacementStep} (at most one JSON
 * patch, then at most one HPA write). Queued on the deployment's own changes, on a policy change in
 * its namespace and on a change of its HPA's owned fields. HPA gauges are kept on every replica.
 */
final class PlacementLoop extends QueuedLoop<PlacementLoop.Key> {

  private static final Logger LOG = LoggerFactory.getLogger(PlacementLoop.class);

  /**
   * When a write that lost a race is retried: the informer has the newer object by then. A refused
   * write is not retried this way: {@link dev.flinkspot.kube.WriteRejected} reaches the queue,
   * which backs off.
   */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** A deployment's key. */
  record Key(String namespace, String name) {
    @Override
    public String toString() {
      return "DEPLOYMENT " + namespace + "/" + name;
    }
  }

  private final PlacementStep step;
  private final HpaMetrics hpaMetrics;

  PlacementLoop(Shared shared) {
    super(shared, "reconcile", shared.config().workers());
    this.step =
        PlacementStep.of(
            shared.writer(),
            shared.index(),
            shared.events(),
            shared::hpasTargeting,
            shared.hpas()::get,
            shared.config().webhook());
    this.hpaMetrics = new HpaMetrics(shared.metrics(), shared.config().metricsMaxDeployments());
    shared.onDeployment(new DeploymentEvents());
    shared.onPolicy(new PolicySpecChanges(this::enqueueNamespace));
    shared.onHpa(new HpaEvents());
  }

  @Override
  public String name() {
    return "placement";
  }

  /** Says once, at start, what running without admission means. */
  @Override
  public void start() {
    if (!shared.config().webhook()) {
      LOG.warn(
          "admission webhook off (--no-webhook): FlinkDeployments are stored as submitted (no"
              + " kubectl warnings, nothing denied); the controller writes placement and Reactive"
              + " Mode defaults after they are stored, and leaves alone those the webhook would"
              + " deny (no checkpointing under enforceCheckpointing, an explicit spec.mode:"
              + " native): no placement, defaults or HPA, an Event NotAdmitted and the policy"
              + " condition DeploymentsAdmitted=False instead");
    }
  }

  /** Everything in the cache once; later only what changes (plus the informers' resync). */
  @Override
  protected void enqueueAll() {
    for (var d : shared.deployments().inNamespaceAll()) {
      queue.add(keyOf(d));
    }
  }

  @Override
  protected Duration reconcile(Key key) {
    return measured(
        "DEPLOYMENT",
        () -> {
          var d = shared.deployments().get(key.namespace(), key.name());
          if (d == null) {
            shared
                .writer()
                .forget(new Writer.Ref(FLINK_DEPLOYMENT_KIND, key.namespace(), key.name()));
            return Pass.NOTHING;
          }
          var outcome = step.reconcile(d);
          if (!outcome.retry()) {
            // Reconciled without a refusal (a refused write throws): nothing is refused any more.
            shared.writer().forget(Writer.Ref.of(d));
          }
          if (outcome.hpa() != null) {
            Counter.builder("flinkspot_hpa_reconciles")
                .tag("result", outcome.hpa().name())
                .register(shared.metrics())
                .increment();
          }
          return new Pass(outcome.placement().name(), outcome.retry() ? RETRY : null);
        });
  }

  private void enqueue(String namespace, String name) {
    enqueue(new Key(namespace, name));
  }

  private static Key keyOf(GenericKubernetesResource d) {
    return new Key(d.getMetadata().getNamespace(), d.getMetadata().getName());
  }

  /** A policy changed: its namespace's deployments are retried at once, even in backoff. */
  private void enqueueNamespace(String namespace) {
    shared.deployments().inNamespace(namespace).forEach(d -> enqueueChanged(keyOf(d)));
  }

  private final class DeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource d) {
      enqueue(d.getMetadata().getNamespace(), d.getMetadata().getName());
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource d) {
      // A spec or label change may lift a refusal: retry at once. A status update (the Flink
      // operator's) or a resync changes nothing we write: a key in backoff keeps waiting.
      boolean changed =
          !Objects.equals(old.getMetadata().getGeneration(), d.getMetadata().getGeneration())
              || !Objects.equals(old.getMetadata().getLabels(), d.getMetadata().getLabels());
      if (changed) {
        enqueueChanged(keyOf(d));
      } else {
        enqueue(keyOf(d));
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource d, boolean unknownFinalState) {}
  }

  /** flinkspot's HPAs: gauges on every replica; drift repair on the leader. */
  private final class HpaEvents implements ResourceEventHandler<HorizontalPodAutoscaler> {
    @Override
    public void onAdd(HorizontalPodAutoscaler h) {
      hpaMetrics.update(h);
      enqueue(h.getMetadata().getNamespace(), HpaSpecs.deploymentOf(h));
    }

    @Override
    public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler h) {
      hpaMetrics.update(h);
      boolean owned =
          !Objects.equals(old.getSpec(), h.getSpec())
              || !Objects.equals(old.getMetadata().getLabels(), h.getMetadata().getLabels())
              || !Objects.equals(
                  old.getMetadata().getOwnerReferences(), h.getMetadata().getOwnerReferences());
      if (owned) {
        // Someone edited a field we own (or we did): compare with the policy again.
        enqueue(h.getMetadata().getNamespace(), HpaSpecs.deploymentOf(h));
      }
    }

    @Override
    public void onDelete(HorizontalPodAutoscaler h, boolean unknownFinalState) {
      hpaMetrics.remove(h);
      enqueue(h.getMetadata().getNamespace(), HpaSpecs.deploymentOf(h));
    }
  }
}
