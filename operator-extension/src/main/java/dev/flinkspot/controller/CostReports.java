package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportSpec;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.Ledger;
import dev.flinkspot.cost.live.LiveObservation;
import dev.flinkspot.cost.live.LiveReportStatus;
import dev.flinkspot.cost.live.ObservedNode;
import dev.flinkspot.cost.live.ObservedPod;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link FlinkCostReport} per governed FlinkDeployment: observes its Flink pods (an
 * informer filtered by the operator's labels) and their nodes (labels only), prices them with the
 * same engine as {@code flinkspot cost}, accumulates, and writes the status only when the {@link
 * ReportWritePolicy} says so. Its own queue, so a slow price never delays placement.
 */
final class CostReports implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CostReports.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  static final String BY_APP = "flinkspot-app";
  static final String BY_NODE = "flinkspot-node";

  /** A report's key: same namespace and name as its deployment. */
  record Key(String namespace, String name) {
    @Override
    public String toString() {
      return "FlinkCostReport " + namespace + "/" + name;
    }
  }

  private final KubernetesClient client;
  private final CostReportSettings settings;
  private final Informers<GenericKubernetesResource> deployments;
  private final Informers<FlinkSpotPolicy> policyInformers;
  private final PolicyLookup policies;
  private final EventRecorder events;
  private final Clock clock;
  private final Informers<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final Informers<FlinkCostReport> reports;
  private final CostMetrics metrics;
  private final WorkQueue<Key> queue;

  /** Per report: the deployment's uid, its unrounded ledger, and when its status was written. */
  private record Book(String uid, Ledger ledger, Instant lastWrite) {}

  private final Map<Key, Book> books = new ConcurrentHashMap<>();
  private volatile boolean leading;

  CostReports(
      KubernetesClient client,
      CostReportSettings settings,
      ControllerConfig config,
      Informers<GenericKubernetesResource> deployments,
      Informers<FlinkSpotPolicy> policyInformers,
      PolicyLookup policies,
      EventRecorder events,
      MeterRegistry registry,
      Clock clock) {
    this.client = client;
    this.settings = settings;
    this.deployments = deployments;
    this.policies = policies;
    this.events = events;
    this.clock = clock;
    long resync = config.resync().toMillis();
    Map<String, Function<Pod, List<String>>> indexers =
        Map.of(
            BY_APP,
            p ->
                FlinkPods.deploymentOf(p)
                    .map(app -> List.of(p.getMetadata().getNamespace() + "/" + app))
                    .orElse(List.of()),
            BY_NODE,
            p ->
                p.getSpec() == null || p.getSpec().getNodeName() == null
                    ? List.of()
                    : List.of(p.getSpec().getNodeName()));
    this.pods =
        new Informers<>(
            config.namespaces(),
            ns ->
                (ns == null
                        ? client.pods().inAnyNamespace().withLabelSelector(FlinkPods.SELECTOR)
                        : client.pods().inNamespace(ns).withLabelSelector(FlinkPods.SELECTOR))
                    .withIndexers(indexers)
                    .runnableInformer(resync));
    // Nodes carry large statuses (images, conditions); only their labels price them.
    this.nodes =
        client
            .nodes()
            .runnableInformer(resync)
            .itemStore(
                new ReducedStateItemStore<>(
                    ReducedStateItemStore.NAME_KEY_STATE,
                    Node.class,
                    client.getKubernetesSerialization(),
                    "metadata.labels"));
    this.reports =
        new Informers<>(
            config.namespaces(),
            ns ->
                ns == null
                    ? client
                        .resources(FlinkCostReport.class)
                        .inAnyNamespace()
                        .runnableInformer(resync)
                    : client
                        .resources(FlinkCostReport.class)
                        .inNamespace(ns)
                        .runnableInformer(resync));
    this.metrics = new CostMetrics(registry);
    this.policyInformers = policyInformers;
    this.queue = new WorkQueue<>("cost-report", 1, this::reconcileSafely);
  }

  /** Starts the informers; returns when their caches are synced. */
  void start() throws Exception {
    // After the runtime's own handlers: the policy index is updated before these enqueue.
    deployments.addEventHandler(new DeploymentEvents());
    policyInformers.addEventHandler(new PolicyEvents());
    pods.addEventHandler(new PodEvents());
    nodes.addEventHandler(new NodeEvents());
    reports.addEventHandler(new ReportEvents());
    pods.start().get();
    nodes.start().toCompletableFuture().get();
    reports.start().get();
  }

  boolean synced() {
    return pods.synced() && nodes.hasSynced() && reports.synced();
  }

  /** This replica leads: reconcile everything once (and orphaned reports), then on change. */
  void startLeading() {
    leading = true;
    queue.start();
    deployments.inNamespaceAll().forEach(d -> queue.add(keyOf(d)));
    reports
        .inNamespaceAll()
        .forEach(
            r -> queue.add(new Key(r.getMetadata().getNamespace(), r.getMetadata().getName())));
  }

  boolean idle() {
    return queue.idle();
  }

  @Override
  public void close() {
    queue.close();
    pods.close();
    nodes.close();
    reports.close();
  }

  private Duration reconcileSafely(Key key) {
    try {
      return reconcile(key);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return RETRY; // the report changed meanwhile (or the cache lags our own write)
      }
      throw e;
    }
  }

  Duration reconcile(Key key) {
    GenericKubernetesResource d = deployments.get(key.namespace(), key.name());
    FlinkCostReport report = reports.get(key.namespace(), key.name());
    boolean governed =
        d != null
            && PolicyResolver.resolve(key.namespace(), d.getMetadata().getLabels(), policies)
                instanceof PolicyResolver.Governed;
    if (!governed) {
      forget(key);
      if (report != null && isOurs(report)) {
        delete(report);
      }
      return null;
    }
    String uid = d.getMetadata().getUid();
    if (report != null && !ownedBy(report, uid)) {
      if (isOurs(report)) {
        delete(report); // a previous deployment of the same name: the GC may not have run yet
        return RETRY;
      }
      LOG.warn("{} exists and is not ours: left alone, no report kept", key);
      return null;
    }
    JsonNode raw = client.getKubernetesSerialization().convertValue(d, JsonNode.class);
    List<ObservedPod> observed = new ArrayList<>();
    Set<String> nodeNames = new LinkedHashSet<>();
    for (Pod pod : pods.byIndex(BY_APP, key.namespace() + "/" + key.name())) {
      FlinkPods.observe(pod)
          .ifPresent(
              p -> {
                observed.add(p);
                if (p.nodeName() != null) {
                  nodeNames.add(p.nodeName());
                }
              });
    }
    List<ObservedNode> observedNodes = new ArrayList<>();
    for (String name : nodeNames) {
      Node node = nodes.getStore().getByKey(name);
      if (node != null) {
        observedNodes.add(FlinkPods.observe(node));
      }
    }
    LiveObservation observation =
        LiveObservation.of(
            raw,
            observed,
            observedNodes,
            settings.fallbackRegion(),
            settings.catalog(),
            settings.options());
    Instant now = clock.instant();
    FlinkCostReportStatus previous = report == null ? null : report.getStatus();
    Book book = books.get(key);
    if (book != null && !book.uid().equals(uid)) {
      book = null;
    }
    Ledger ledger = book == null ? null : book.ledger();
    Instant lastWrite = book == null ? null : book.lastWrite();
    if (ledger == null) {
      ledger =
          previous != null && previous.since() != null
              ? Ledger.resume(previous, now)
              : Ledger.begin(now, observation.rate());
    }
    ledger = ledger.advance(now, observation.rate());
    FlinkCostReportStatus desired = LiveReportStatus.build(observation, ledger, now, previous);
    metrics.update(key.namespace(), key.name(), figures(observation, ledger));
    if (!observation.missing().isEmpty()) {
      events.record(
          FlinkDeployments.target(d),
          EventReason.CostNotPriced,
          desired.conditions().get(0).getMessage());
    }
    if (report == null) {
      report = create(d);
      lastWrite = null;
    }
    boolean changed =
        previous == null || !desired.withoutProgress().equals(previous.withoutProgress());
    if (lastWrite == null && previous != null && previous.lastUpdated() != null) {
      lastWrite = Instant.parse(previous.lastUpdated());
    }
    ReportWritePolicy.Decision decision = settings.writes().decide(changed, lastWrite, now);
    if (decision.write()) {
      report.setStatus(desired);
      client
          .resources(FlinkCostReport.class)
          .inNamespace(key.namespace())
          .resource(report)
          .updateStatus();
      lastWrite = now;
    }
    books.put(key, new Book(uid, ledger, lastWrite));
    return decision.recheck();
  }

  private FlinkCostReport create(GenericKubernetesResource d) {
    FlinkCostReport report = new FlinkCostReport();
    OwnerReference owner =
        OwnerReferences.flinkDeployment(d.getMetadata().getName(), d.getMetadata().getUid());
    report.setMetadata(
        new ObjectMetaBuilder()
            .withName(d.getMetadata().getName())
            .withNamespace(d.getMetadata().getNamespace())
            .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
            .withOwnerReferences(owner)
            .build());
    report.setSpec(new FlinkCostReportSpec(d.getMetadata().getName()));
    return client.resources(FlinkCostReport.class).resource(report).create();
  }

  private void delete(FlinkCostReport report) {
    try {
      client.resources(FlinkCostReport.class).resource(report).lockResourceVersion().delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void forget(Key key) {
    metrics.remove(key.namespace(), key.name());
    books.remove(key);
  }

  static boolean isOurs(FlinkCostReport report) {
    return Names.managedByUs(report.getMetadata().getLabels());
  }

  private static boolean ownedBy(FlinkCostReport report, String uid) {
    return OwnerReferences.controlledBy(report.getMetadata().getOwnerReferences(), uid);
  }

  private static CostMetrics.Figures figures(LiveObservation o, Ledger ledger) {
    return new CostMetrics.Figures(
        o.rate() == null ? Double.NaN : o.rate().selfManagedUsdPerHour().doubleValue(),
        o.rate() == null ? Double.NaN : o.rate().managedUsdPerHour().doubleValue(),
        ledger.totals().selfManagedUsd().doubleValue(),
        ledger.totals().managedUsd().doubleValue(),
        o.taskManagers(),
        o.taskManagers() == 0 ? 0 : (double) o.spotTaskManagers() / o.taskManagers());
  }

  private static Key keyOf(GenericKubernetesResource d) {
    return new Key(d.getMetadata().getNamespace(), d.getMetadata().getName());
  }

  private void enqueue(Key key) {
    if (leading) {
      queue.add(key);
    }
  }

  private void enqueuePodsOn(String node) {
    pods.byIndex(BY_NODE, node)
        .forEach(
            p ->
                FlinkPods.deploymentOf(p)
                    .ifPresent(app -> enqueue(new Key(p.getMetadata().getNamespace(), app))));
  }

  private final class DeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource d) {
      enqueue(keyOf(d));
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource d) {
      // The operator writes the status often; only labels (policy) and the spec matter here.
      if (!Objects.equals(old.getMetadata().getLabels(), d.getMetadata().getLabels())
          || !Objects.equals(old.getMetadata().getGeneration(), d.getMetadata().getGeneration())) {
        enqueue(keyOf(d));
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource d, boolean unknownFinalState) {
      enqueue(keyOf(d));
    }
  }

  private final class PolicyEvents implements ResourceEventHandler<FlinkSpotPolicy> {
    private void namespace(FlinkSpotPolicy p) {
      String ns = p.getMetadata().getNamespace();
      deployments.inNamespace(ns).forEach(d -> enqueue(keyOf(d)));
      reports.inNamespace(ns).forEach(r -> enqueue(new Key(ns, r.getMetadata().getName())));
    }

    @Override
    public void onAdd(FlinkSpotPolicy p) {
      namespace(p);
    }

    @Override
    public void onUpdate(FlinkSpotPolicy old, FlinkSpotPolicy p) {
      if (!Objects.equals(old.getMetadata().getGeneration(), p.getMetadata().getGeneration())) {
        namespace(p);
      }
    }

    @Override
    public void onDelete(FlinkSpotPolicy p, boolean unknownFinalState) {
      namespace(p);
    }
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    private void pod(Pod p) {
      FlinkPods.deploymentOf(p)
          .ifPresent(app -> enqueue(new Key(p.getMetadata().getNamespace(), app)));
    }

    @Override
    public void onAdd(Pod p) {
      pod(p);
    }

    @Override
    public void onUpdate(Pod old, Pod p) {
      // Bound to a node, finished, relabelled or resized: the rest of a pod's churn costs nothing.
      if (!Objects.equals(FlinkPods.observe(old), FlinkPods.observe(p))
          || !Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels())) {
        pod(old);
        pod(p);
      }
    }

    @Override
    public void onDelete(Pod p, boolean unknownFinalState) {
      pod(p);
    }
  }

  private final class NodeEvents implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node n) {
      enqueuePodsOn(n.getMetadata().getName());
    }

    @Override
    public void onUpdate(Node old, Node n) {
      if (!Objects.equals(old.getMetadata().getLabels(), n.getMetadata().getLabels())) {
        enqueuePodsOn(n.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(Node n, boolean unknownFinalState) {
      enqueuePodsOn(n.getMetadata().getName());
    }
  }

  private final class ReportEvents implements ResourceEventHandler<FlinkCostReport> {
    @Override
    public void onAdd(FlinkCostReport r) {}

    @Override
    public void onUpdate(FlinkCostReport old, FlinkCostReport r) {}

    @Override
    public void onDelete(FlinkCostReport r, boolean unknownFinalState) {
      // Deleted by a user while governed: recreated (with a fresh ledger) on the next pass.
      enqueue(new Key(r.getMetadata().getNamespace(), r.getMetadata().getName()));
    }
  }
}
