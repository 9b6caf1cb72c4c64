package dev.flinkspot.controller;

import dev.flinkspot.kube.KubeEventRecorder;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.FlinkSpotPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What {@link ControllerRuntime} shares with its {@link Loop}s: the client and its {@link Writer},
 * the settings, metrics and clock, the policy index, the read side of the shared informers, the one
 * Event recorder (it de-duplicates per object and reason), whether this replica leads, and the
 * subscriptions to the shared informers' events.
 *
 * <p>Each shared informer has one handler, registered by the runtime, that first updates the policy
 * index and then calls the loops' handlers in the order they subscribed: no loop depends on the
 * order in which informer handlers run.
 */
public final class Shared {

  private final KubernetesClient client;
  private final Writer writer;
  private final ControllerConfig config;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final PolicyIndex index;
  private final Informers<FlinkSpotPolicy> policies;
  private final Informers<GenericKubernetesResource> deployments;
  private final Informers<HorizontalPodAutoscaler> hpas;
  private final Informers<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final KubeEventRecorder events;
  private final BooleanSupplier leading;
  final List<ResourceEventHandler<FlinkSpotPolicy>> policyHandlers = new CopyOnWriteArrayList<>();
  final List<ResourceEventHandler<GenericKubernetesResource>> deploymentHandlers =
      new CopyOnWriteArrayList<>();
  final List<ResourceEventHandler<HorizontalPodAutoscaler>> hpaHandlers =
      new CopyOnWriteArrayList<>();
  final List<ResourceEventHandler<Pod>> podHandlers = new CopyOnWriteArrayList<>();
  final List<ResourceEventHandler<Node>> nodeHandlers = new CopyOnWriteArrayList<>();

  Shared(
      KubernetesClient client,
      ControllerConfig config,
      MeterRegistry metrics,
      Clock clock,
      PolicyIndex index,
      Informers<FlinkSpotPolicy> policies,
      Informers<GenericKubernetesResource> deployments,
      Informers<HorizontalPodAutoscaler> hpas,
      Informers<Pod> pods,
      SharedIndexInformer<Node> nodes,
      KubeEventRecorder events,
      BooleanSupplier leading) {
    this.client = client;
    this.writer = new Writer(client, leading);
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.index = index;
    this.policies = policies;
    this.deployments = deployments;
    this.hpas = hpas;
    this.pods = pods;
    this.nodes = nodes;
    this.events = events;
    this.leading = leading;
  }

  public KubernetesClient client() {
    return client;
  }

  public Writer writer() {
    return writer;
  }

  public ControllerConfig config() {
    return config;
  }

  public MeterRegistry metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }

  /** The validated policies, by namespace and name; updated before any loop sees the event. */
  public PolicyIndex index() {
    return index;
  }

  public Informers<FlinkSpotPolicy> policies() {
    return policies;
  }

  public Informers<GenericKubernetesResource> deployments() {
    return deployments;
  }

  /** flinkspot's HPAs only (by the managed-by label). */
  public Informers<HorizontalPodAutoscaler> hpas() {
    return hpas;
  }

  /**
   * Governed pods only ({@link dev.flinkspot.kube.Names#GOVERNED_LABEL}), reduced ({@link
   * Caches#pod}), indexed by {@link Caches#PODS_BY_APP} and {@link Caches#PODS_BY_NODE}.
   */
  public Informers<Pod> pods() {
    return pods;
  }

  /** Every node, reduced to its labels, taints and cordon. */
  public SharedIndexInformer<Node> nodes() {
    return nodes;
  }

  public KubeEventRecorder events() {
    return events;
  }

  /** Whether this replica holds the Lease (loops write only then). */
  public boolean leading() {
    return leading.getAsBoolean();
  }

  /** flinkspot's HPAs in a namespace, from the cache (for the Reactive Mode HPA checks). */
  /** flinkspot's HPAs whose scale target is the FlinkDeployment {@code namespace/deployment}. */
  public List<HorizontalPodAutoscaler> hpasTargeting(String namespace, String deployment) {
    return hpas.byIndex(Caches.HPAS_BY_TARGET, namespace + "/" + deployment);
  }

  public void onPolicy(ResourceEventHandler<FlinkSpotPolicy> handler) {
    policyHandlers.add(handler);
  }

  public void onDeployment(ResourceEventHandler<GenericKubernetesResource> handler) {
    deploymentHandlers.add(handler);
  }

  public void onHpa(ResourceEventHandler<HorizontalPodAutoscaler> handler) {
    hpaHandlers.add(handler);
  }

  public void onPod(ResourceEventHandler<Pod> handler) {
    podHandlers.add(handler);
  }

  public void onNode(ResourceEventHandler<Node> handler) {
    nodeHandlers.add(handler);
  }

  /** Runs {@code added}/{@code removed} (the index) before the loops' handlers. */
  static <T extends HasMetadata> ResourceEventHandler<T> fanOut(
      Consumer<T> added, Consumer<T> removed, List<ResourceEventHandler<T>> handlers) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T item) {
        added.accept(item);
        handlers.forEach(h -> h.onAdd(item));
      }

      @Override
      public void onUpdate(T old, T item) {
        added.accept(item);
        handlers.forEach(h -> h.onUpdate(old, item));
      }

      @Override
      public void onDelete(T item, boolean unknownFinalState) {
        removed.accept(item);
        handlers.forEach(h -> h.onDelete(item, unknownFinalState));
      }
    };
  }
}
