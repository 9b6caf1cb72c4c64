package dev.flinkspot.controller;

import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkPods;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.Objects;

/**
 * The cost-report loop: one {@link FlinkCostReport} per governed FlinkDeployment, reconciled by the
 * {@link CostReportReconciler}. It reads the runtime's shared pod informer (governed pods only) and
 * node informer; its own informer keeps the reports; its own queue, so a slow price never delays
 * placement. Queued on a deployment's labels or spec, a policy change in the namespace, a pod's
 * binding, phase or labels (its Flink pods and its warm-spare placeholders alike), a node's labels,
 * and a report deleted by hand. The same handlers keep the set of governed deployments that run
 * ({@link RunningDeployments}); when its size changes, every running deployment is queued, since
 * each one's share of the cluster's fixed cost changed.
 *
 * <p>Long because it has one handler per informer (deployments, policies, pods, nodes, reports),
 * each with the filter that keeps pod and node churn from requeuing; the decisions live in {@link
 * CostReportReconciler}.
 */
final class CostReportLoop extends QueuedLoop<CostReportLoop.Key> {

  /** A report's key: same namespace and name as its deployment. */
  record Key(String namespace, String name) {
    @Override
    public String toString() {
      return "FlinkCostReport " + namespace + "/" + name;
    }
  }

  /**
   * Not a report: queued (once, after {@link #SHARE_SETTLE}) when the number of running deployments
   * changed, it queues every running one. A burst of deployments starting (a rollout, a restart of
   * many) is one pass over the running ones, not one per deployment that starts.
   */
  static final Key EVERY_RUNNING = new Key("", "");

  static final Duration SHARE_SETTLE = Duration.ofSeconds(1);

  private final java.util.concurrent.atomic.AtomicBoolean sharesChanged =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Informers<FlinkCostReport> reports;
  private final CostReportReconciler reconciler;
  private final RunningDeployments<Key> running = new RunningDeployments<>();

  private final NoticeCounts.Inbox<Key> notices;

  CostReportLoop(Shared shared, CostReportSettings settings, NoticeCounts counts) {
    // As many workers as placement: a key is never reconciled by two at once (WorkQueue), and the
    // reconciler keeps its books per key in concurrent maps.
    super(shared, "cost-report", shared.config().workers());
    this.notices = counts.reports;
    KubernetesClient client = shared.client();
    ControllerConfig config = shared.config();
    long resync = config.resync().toMillis();
    this.reports =
        new Informers<>(
            config.namespaces(),
            ns ->
                (ns == null
                        ? client.resources(FlinkCostReport.class).inAnyNamespace()
                        : client.resources(FlinkCostReport.class).inNamespace(ns))
                    .withLimit(Caches.PAGE)
                    .runnableInformer(resync)
                    .itemStore(Caches.store(Caches::withoutManagedFields)));
    this.reconciler =
        new CostReportReconciler(
            shared.writer(),
            settings,
            shared.index(),
            shared.events(),
            new CostMetrics(shared.metrics(), config.metricsMaxDeployments()),
            shared.clock(),
            notices);
    notices.consumedBy(this::enqueue);
    shared.onDeployment(new DeploymentEvents());
    shared.onPolicy(new PolicySpecChanges(this::policyChanged));
    shared.onPod(new PodEvents());
    shared.onNode(new NodeEvents());
  }

  @Override
  public String name() {
    return "cost-reports";
  }

  /** Starts its report informer; returns when its cache is synced. */
  @Override
  public void start() throws Exception {
    reports.addEventHandler(new ReportEvents());
    reports.start().get();
  }

  /** Not while a pass over the running deployments is due (their shares changed). */
  @Override
  public boolean idle() {
    return !sharesChanged.get() && super.idle();
  }

  @Override
  public boolean synced() {
    return reports.synced();
  }

  /** This replica leads: reconcile everything once (and orphaned reports), then on change. */
  @Override
  protected void enqueueAll() {
    sharesChanged.set(false); // a pass queued by an earlier leadership was dropped with its queue
    // Counted first, so that the first pass already shares by the final count.
    shared.deployments().inNamespaceAll().forEach(d -> recount(keyOf(d)));
    shared.deployments().inNamespaceAll().forEach(d -> queue.add(keyOf(d)));
    reports
        .inNamespaceAll()
        .forEach(
            r -> queue.add(new Key(r.getMetadata().getNamespace(), r.getMetadata().getName())));
  }

  @Override
  public void close() {
    super.close();
    reports.close();
  }

  @Override
  protected Duration reconcile(Key key) {
    if (key.equals(EVERY_RUNNING)) {
      sharesChanged.set(false);
      running.all().forEach(this::enqueue);
      return null;
    }
    var result =
        reconciler.reconcile(
            key.namespace(),
            key.name(),
            shared.deployments().get(key.namespace(), key.name()),
            reports.get(key.namespace(), key.name()),
            shared.pods().byIndex(Caches.PODS_BY_APP, key.namespace() + "/" + key.name()),
            name -> shared.nodes().getStore().getByKey(name),
            running.othersThan(key));
    settleNotices(key, result.write());
    return result.recheck();
  }

  /**
   * The notices handed over for {@code key} that its report now counts are forgotten; for a report
   * that is gone or closed, all of them (a closed period counts no more).
   */
  private void settleNotices(Key key, dev.flinkspot.kube.Write write) {
    if (write.retry() || !notices.has(key)) {
      return;
    }
    var report = reports.get(key.namespace(), key.name());
    var status = report == null ? null : report.getStatus();
    if (shared.deployments().get(key.namespace(), key.name()) == null
        || (status != null && status.periodClosed())) {
      notices.drop(key);
    } else if (status != null) {
      notices.settle(key, status.interruptions());
    }
  }

  /**
   * Records whether the deployment of {@code key} is governed and runs; when that changes how many
   * run, queues every one that runs, {@link #EVERY_RUNNING} (their shares changed; the one that
   * changed is queued by its own event). Before this replica leads, only the count is kept: its
   * first pass reconciles every report anyway.
   */
  private void recount(Key key) {
    var d = shared.deployments().get(key.namespace(), key.name());
    boolean runs =
        d != null
            && CostReportReconciler.reported(key.namespace(), d, shared.index())
            && FlinkPods.anyTaskManagerBound(
                shared.pods().byIndex(Caches.PODS_BY_APP, key.namespace() + "/" + key.name()));
    if (running.set(key, runs) && shared.leading() && !sharesChanged.getAndSet(true)) {
      queue.addAfter(EVERY_RUNNING, SHARE_SETTLE);
    }
  }

  /** A policy's spec changed: every deployment and report of its namespace is looked at again. */
  private void policyChanged(String ns) {
    shared.deployments().inNamespace(ns).forEach(d -> changed(keyOf(d)));
    reports.inNamespace(ns).forEach(r -> enqueue(new Key(ns, r.getMetadata().getName())));
  }

  private void changed(Key key) {
    recount(key);
    enqueue(key);
  }

  private static Key keyOf(GenericKubernetesResource d) {
    return new Key(d.getMetadata().getNamespace(), d.getMetadata().getName());
  }

  private void enqueuePodsOn(String node) {
    shared
        .pods()
        .byIndex(Caches.PODS_BY_NODE, node)
        .forEach(
            p ->
                FlinkPods.billedTo(p)
                    .ifPresent(app -> enqueue(new Key(p.getMetadata().getNamespace(), app))));
  }

  private final class DeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource d) {
      changed(keyOf(d));
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource d) {
      // The operator writes the status often; only labels (policy) and the spec matter here.
      if (!Objects.equals(old.getMetadata().getLabels(), d.getMetadata().getLabels())
          || !Objects.equals(old.getMetadata().getGeneration(), d.getMetadata().getGeneration())) {
        changed(keyOf(d));
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource d, boolean unknownFinalState) {
      changed(keyOf(d));
    }
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    private void pod(Pod p) {
      FlinkPods.billedTo(p).ifPresent(app -> changed(new Key(p.getMetadata().getNamespace(), app)));
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
