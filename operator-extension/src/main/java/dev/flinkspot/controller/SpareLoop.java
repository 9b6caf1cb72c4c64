package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.desired.SpareDecision;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.Write;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.Objects;

/**
 * The warm-spare loop ({@code taskManager.spare}): for each FlinkDeployment, at most one write of
 * its spare Deployment ({@link SpareDecision}: create, update, delete or nothing). Its own informer
 * watches only flinkspot's spare Deployments (by label); queued on a deployment's changes, on a
 * policy change in its namespace, and on any change of its spare Deployment (an edit is set back;
 * its ready count feeds {@link SpareMetrics}). Never writes the FlinkDeployment. The placeholder
 * pods themselves are made by the Deployment controller and removed by the garbage collector with
 * their owner.
 *
 * <p>Long because it turns each of the four decisions into its write and its Event, and keeps one
 * handler per informer it listens to; the decisions live in {@link SpareDecision}.
 */
final class SpareLoop extends QueuedLoop<PlacementLoop.Key> {

  private final SpareDecision.Settings settings;
  private final Informers<Deployment> spares;
  private final SpareMetrics metrics;

  SpareLoop(Shared shared, SpareDecision.Settings settings) {
    super(shared, "spares", 1);
    this.settings = settings;
    this.metrics = new SpareMetrics(shared.metrics());
    var client = shared.client();
    long resync = shared.config().resync().toMillis();
    String selector = Names.MANAGED_BY_LABEL + "=" + Names.MANAGED_BY + "," + SPARE_FOR;
    this.spares =
        new Informers<>(
            shared.config().namespaces(),
            ns ->
                (ns == null
                        ? client.apps().deployments().inAnyNamespace().withLabelSelector(selector)
                        : client.apps().deployments().inNamespace(ns).withLabelSelector(selector))
                    .runnableInformer(resync));
    shared.onDeployment(new DeploymentEvents());
    shared.onPolicy(
        new PolicySpecChanges(
            ns -> shared.deployments().inNamespace(ns).forEach(d -> enqueueChanged(keyOf(d)))));
  }

  private static final String SPARE_FOR = SpareDecision.SPARE_FOR_LABEL;

  @Override
  public String name() {
    return "spares";
  }

  @Override
  public void start() throws Exception {
    spares.addEventHandler(new SpareEvents());
    spares.start().get();
  }

  @Override
  public boolean synced() {
    return spares.synced();
  }

  @Override
  protected void enqueueAll() {
    shared.deployments().inNamespaceAll().forEach(d -> queue.add(keyOf(d)));
    // Spares whose FlinkDeployment is gone from the cache (the garbage collector removes them).
    spares.inNamespaceAll().forEach(s -> queue.add(keyOf(s)));
  }

  @Override
  protected Duration reconcile(PlacementLoop.Key key) {
    return measured(
        "SPARES",
        () -> {
          var d = shared.deployments().get(key.namespace(), key.name());
          if (d == null) {
            // Deleted: its spares go with it (owner reference, garbage collector).
            return Pass.NOTHING;
          }
          JsonNode raw =
              shared.client().getKubernetesSerialization().convertValue(d, JsonNode.class);
          var resolution =
              PolicyResolver.resolve(key.namespace(), d.getMetadata().getLabels(), shared.index());
          String name = SpareDecision.name(key.name());
          Deployment observed = spares.get(key.namespace(), name);
          SpareDecision decision = SpareDecision.decide(raw, resolution, observed, settings);
          if (decision instanceof SpareDecision.Create && observed == null) {
            // Only ours are cached: a same-named Deployment of someone else's is seen by GET.
            Deployment existing =
                shared
                    .client()
                    .apps()
                    .deployments()
                    .inNamespace(key.namespace())
                    .withName(name)
                    .get();
            if (existing != null) {
              decision = SpareDecision.decide(raw, resolution, existing, settings);
            }
          }
          return act(d, decision);
        });
  }

  private Pass act(GenericKubernetesResource d, SpareDecision decision) {
    var target = FlinkDeployments.target(d);
    var writer = shared.writer();
    String name = SpareDecision.name(d.getMetadata().getName());
    String why =
        "warm spares of FlinkDeployment "
            + d.getMetadata().getNamespace()
            + "/"
            + d.getMetadata().getName();
    if (decision instanceof SpareDecision.Create c) {
      if (writer.create(c.spares(), why).retry()) {
        return new Pass("RETRY", PlacementLoop.RETRY);
      }
      shared
          .events()
          .record(
              target,
              EventReason.SparesCreated,
              "Deployment "
                  + name
                  + " keeps "
                  + c.replicas()
                  + " warm spare placeholder pod(s) sized and placed like a TaskManager"
                  + " (FlinkSpotPolicy "
                  + c.policy()
                  + ", taskManager.spare)");
      return new Pass("CREATED", null);
    }
    if (decision instanceof SpareDecision.Update u) {
      if (writer.update(u.spares(), why).retry()) {
        return new Pass("RETRY", PlacementLoop.RETRY);
      }
      shared
          .events()
          .record(
              target,
              EventReason.SparesUpdated,
              "Deployment "
                  + name
                  + " set to "
                  + u.replicas()
                  + " warm spare placeholder pod(s) like the current TaskManager (FlinkSpotPolicy "
                  + u.policy()
                  + ")");
      return new Pass("UPDATED", null);
    }
    if (decision instanceof SpareDecision.Delete del) {
      Write deleted = writer.deleteOurs(del.observed(), del.why());
      if (deleted.retry()) {
        return new Pass("RETRY", PlacementLoop.RETRY);
      }
      shared.events().record(target, EventReason.SparesDeleted, name + " deleted: " + del.why());
      return new Pass("DELETED", null);
    }
    var keep = (SpareDecision.Keep) decision;
    if (keep.warning()) {
      shared.events().record(target, EventReason.SparesNotKept, keep.message());
    }
    return new Pass(keep.reason().name(), null);
  }

  @Override
  public void close() {
    super.close();
    spares.close();
  }

  private static PlacementLoop.Key keyOf(GenericKubernetesResource d) {
    return new PlacementLoop.Key(d.getMetadata().getNamespace(), d.getMetadata().getName());
  }

  private static PlacementLoop.Key keyOf(Deployment s) {
    return new PlacementLoop.Key(
        s.getMetadata().getNamespace(), s.getMetadata().getLabels().get(SPARE_FOR));
  }

  private final class DeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource d) {
      enqueue(keyOf(d));
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource d) {
      // The spec (size, image, placement, suspend) or labels (policy) decide: retry at once.
      if (!Objects.equals(old.getMetadata().getGeneration(), d.getMetadata().getGeneration())
          || !Objects.equals(old.getMetadata().getLabels(), d.getMetadata().getLabels())) {
        enqueueChanged(keyOf(d));
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource d, boolean unknownFinalState) {}
  }

  /** Our spare Deployments: gauges on every replica; drift repair on the leader. */
  private final class SpareEvents implements ResourceEventHandler<Deployment> {
    @Override
    public void onAdd(Deployment s) {
      metrics.update(s, keyOf(s).name());
      enqueue(keyOf(s));
    }

    @Override
    public void onUpdate(Deployment old, Deployment s) {
      metrics.update(s, keyOf(s).name());
      if (!Objects.equals(old.getSpec(), s.getSpec())
          || !Objects.equals(old.getMetadata().getLabels(), s.getMetadata().getLabels())
          || !Objects.equals(old.getMetadata().getAnnotations(), s.getMetadata().getAnnotations())
          || !Objects.equals(
              old.getMetadata().getOwnerReferences(), s.getMetadata().getOwnerReferences())) {
        enqueue(keyOf(s));
      }
    }

    @Override
    public void onDelete(Deployment s, boolean unknownFinalState) {
      metrics.remove(s, keyOf(s).name());
      enqueue(keyOf(s));
    }
  }
}
