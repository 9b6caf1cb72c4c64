package dev.flinkspot.controller;

import dev.flinkspot.kube.KubeEventRecorder;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.webhook.AdmissionHandler;
import dev.flinkspot.webhook.WebhookServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller: informers feed a {@link PolicyIndex} and a {@link WorkQueue}; the queue
 * runs the reconcilers while this replica holds the Lease; the webhook is served by every replica.
 */
public final class ControllerRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerRuntime.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration CERTIFICATE_CHECK = Duration.ofMinutes(10);

  /**
   * HPA status changes fold into one policy status reconcile per policy per this period (the HPA
   * controller may write each HPA's status every 15 s).
   */
  static final Duration HPA_STATUS_COALESCE = Duration.ofSeconds(5);

  /** What a queue entry names. */
  public record Key(Kind kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + " " + namespace + "/" + name;
    }
  }

  /** Queue entry kinds. */
  public enum Kind {
    DEPLOYMENT,
    POLICY
  }

  private final KubernetesClient client;
  private final ControllerConfig config;
  private final MeterRegistry metrics;
  private final PolicyIndex index = new PolicyIndex();
  private final Informers<FlinkSpotPolicy> policies;
  private final Informers<GenericKubernetesResource> deployments;
  private final Informers<HorizontalPodAutoscaler> hpas;
  private final HpaReconciler hpaReconciler;
  private final HpaMetrics hpaMetrics;
  private final Set<Key> policyRefreshPending = ConcurrentHashMap.newKeySet();
  private final FlinkDeploymentReconciler deploymentReconciler;
  private final PolicyReconciler policyReconciler;
  private final WorkQueue<Key> queue;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean webhookUp = new AtomicBoolean();
  private volatile WebhookServer webhook;
  private volatile CompletableFuture<?> election;
  private volatile boolean closing;
  private final java.util.concurrent.ScheduledExecutorService certificateRefresh =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "webhook-certificate");
            t.setDaemon(true);
            return t;
          });
  private volatile Runnable onLostLeadership = () -> Runtime.getRuntime().halt(1);
  private final Clock clock;
  private CostReports costReports;
  private final KubeEventRecorder events;

  public ControllerRuntime(
      KubernetesClient client, ControllerConfig config, MeterRegistry metrics, Clock clock) {
    this.client = client;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    long resync = config.resync().toMillis();
    this.policies =
        new Informers<>(
            config.namespaces(),
            ns ->
                ns == null
                    ? client
                        .resources(FlinkSpotPolicy.class)
                        .inAnyNamespace()
                        .runnableInformer(resync)
                    : client
                        .resources(FlinkSpotPolicy.class)
                        .inNamespace(ns)
                        .runnableInformer(resync));
    this.deployments =
        new Informers<>(
            config.namespaces(),
            ns ->
                ns == null
                    ? FlinkDeployments.in(client).inAnyNamespace().runnableInformer(resync)
                    : FlinkDeployments.in(client).inNamespace(ns).runnableInformer(resync));
    // Only flinkspot's HPAs are cached (memory bounded by the governed deployments, not by every
    // HPA in the cluster); a same-named foreign HPA is found by one GET before a create.
    this.hpas =
        new Informers<>(
            config.namespaces(),
            ns ->
                (ns == null
                        ? client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace()
                        : client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns))
                    .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
                    .runnableInformer(resync));
    this.hpaMetrics = new HpaMetrics(metrics);
    // One recorder for every step: it de-duplicates per object and reason.
    this.events = new KubeEventRecorder(client, "flinkspot-controller", config.identity(), clock);
    this.deploymentReconciler =
        new FlinkDeploymentReconciler(client, index, events, this::hpasInNamespace);
    this.hpaReconciler = new HpaReconciler(client, index, hpas::get, events);
    this.policyReconciler =
        new PolicyReconciler(index, new PolicyStatusRecorder(client), events, clock);
    this.queue = new WorkQueue<>("reconcile", config.workers(), this::reconcile);
    metrics.gauge("flinkspot_leader", leader, l -> l.get() ? 1 : 0);
    metrics.gauge("flinkspot_queue_depth", queue, WorkQueue::depth);
  }

  /**
   * What to do when the Lease is lost while running: by default halt the JVM (exit 1) so the pod
   * restarts as a follower and never writes alongside the new leader. Tests replace it.
   */
  public ControllerRuntime onLostLeadership(Runnable action) {
    this.onLostLeadership = action;
    return this;
  }

  /** Also keep a FlinkCostReport per governed deployment (call before {@link #start}). */
  public ControllerRuntime withCostReports(CostReportSettings settings) {
    this.costReports =
        new CostReports(
            client, settings, config, deployments, policies, index, events, metrics, clock);
    return this;
  }

  /** Starts informers, webhook and leader election; returns once the caches are synced. */
  public ControllerRuntime start() throws Exception {
    policies.addEventHandler(new PolicyEvents());
    deployments.addEventHandler(new DeploymentEvents());
    hpas.addEventHandler(new HpaEvents());
    policies.start().get();
    deployments.start().get();
    hpas.start().get();
    if (costReports != null) {
      costReports.start();
    }
    LOG.info(
        "caches synced: {} namespaces watched",
        config.namespaces().isEmpty() ? "all" : config.namespaces());
    if (config.webhook()) {
      startWebhook();
    }
    if (config.leaderElection()) {
      election =
          client
              .leaderElector()
              .withConfig(
                  new LeaderElectionConfigBuilder()
                      .withName(config.leaseName())
                      .withLeaseDuration(Duration.ofSeconds(15))
                      .withRenewDeadline(Duration.ofSeconds(10))
                      .withRetryPeriod(Duration.ofSeconds(2))
                      .withReleaseOnCancel(true)
                      .withLock(
                          new LeaseLock(
                              config.ownNamespace(), config.leaseName(), config.identity()))
                      .withLeaderCallbacks(
                          new LeaderCallbacks(
                              this::startLeading,
                              this::stopLeading,
                              id -> LOG.info("leader is {}", id)))
                      .build())
              .build()
              .start();
    } else {
      startLeading();
    }
    return this;
  }

  private void startWebhook() throws Exception {
    var certificates =
        new WebhookCertificates(
            client, config.ownNamespace(), config.tlsSecret(), config.webhookService());
    var certificate = certificates.ensure(java.time.Instant.now());
    try {
      certificates.publishCaBundle(config.webhookConfiguration(), certificate);
    } catch (KubernetesClientException e) {
      LOG.warn("could not publish the webhook CA: {}", e.getMessage());
    }
    webhook =
        WebhookServer.start(
            "0.0.0.0",
            config.webhookPort(),
            certificate,
            new AdmissionHandler(index, this::hpasInNamespace),
            4,
            t ->
                Timer.builder("flinkspot_admission")
                    .description("admission review latency")
                    .publishPercentiles(0.5, 0.99)
                    .tag("verdict", t.verdict().name())
                    .register(metrics)
                    .record(Duration.ofNanos(t.nanos())));
    webhookUp.set(true);
    // Renewal: every replica re-reads the Secret; the first to see < 30 days left renews the
    // serving certificate (same CA, so the caBundle and the other replicas stay valid).
    var serving = new java.util.concurrent.atomic.AtomicReference<>(certificate);
    certificateRefresh.scheduleWithFixedDelay(
        () -> {
          try {
            var current = certificates.ensure(java.time.Instant.now());
            if (!current.equals(serving.get())) {
              webhook.reload(current);
              serving.set(current);
              certificates.publishCaBundle(config.webhookConfiguration(), current);
            }
          } catch (Exception e) {
            LOG.warn("webhook certificate refresh failed, retrying later: {}", e.toString());
          }
        },
        CERTIFICATE_CHECK.toMinutes(),
        CERTIFICATE_CHECK.toMinutes(),
        java.util.concurrent.TimeUnit.MINUTES);
  }

  private void startLeading() {
    LOG.info("{} leads: reconciling", config.identity());
    leader.set(true);
    try {
      LOG.info(
          "{} Events of earlier leaders remembered", events.rememberExisting(config.namespaces()));
    } catch (RuntimeException e) {
      // Only costs 409s on Events already written; reconciling goes on.
      LOG.warn("could not list earlier Events: {}", e.getMessage());
    }
    queue.start();
    // Everything in the caches once; later only what changes (plus the informers' resync).
    for (var p : policies.inNamespaceAll()) {
      queue.add(new Key(Kind.POLICY, p.getMetadata().getNamespace(), p.getMetadata().getName()));
    }
    for (var d : deployments.inNamespaceAll()) {
      queue.add(
          new Key(Kind.DEPLOYMENT, d.getMetadata().getNamespace(), d.getMetadata().getName()));
    }
    if (costReports != null) {
      costReports.startLeading();
    }
  }

  private void stopLeading() {
    if (leader.getAndSet(false) && !closing) {
      // Another replica leads now; writing on would race it. Exit and let the pod restart.
      LOG.error("{} lost the Lease; exiting so that only the leader reconciles", config.identity());
      queue.close();
      onLostLeadership.run();
    }
  }

  private Duration reconcile(Key key) {
    Timer.Sample sample = Timer.start(metrics);
    String result;
    Duration again = null;
    try {
      if (key.kind() == Kind.DEPLOYMENT) {
        var d = deployments.get(key.namespace(), key.name());
        if (d == null) {
          return null;
        }
        var r = deploymentReconciler.reconcile(d);
        result = r.name();
        again = r == FlinkDeploymentReconciler.Result.RETRY ? RETRY : null;
        var h = hpaReconciler.reconcile(d);
        Counter.builder("flinkspot_hpa_reconciles")
            .tag("result", h.name())
            .register(metrics)
            .increment();
        again = h == HpaReconciler.Result.RETRY ? RETRY : again;
      } else {
        policyRefreshPending.remove(key);
        var p = policies.get(key.namespace(), key.name());
        if (p == null) {
          return null;
        }
        try {
          result =
              policyReconciler.reconcile(p, deployments.inNamespace(key.namespace()), hpas::get)
                  ? "STATUS_WRITTEN"
                  : "UNCHANGED";
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          result = "RETRY";
          again = RETRY;
        }
      }
    } catch (RuntimeException e) {
      result = "ERROR";
      throw e;
    } finally {
      sample.stop(metrics.timer("flinkspot_reconcile", "kind", key.kind().name()));
    }
    Counter.builder("flinkspot_reconciles")
        .tag("kind", key.kind().name())
        .tag("result", result)
        .register(metrics)
        .increment();
    return again;
  }

  /** Informer caches synced (and the webhook serving, when enabled). */
  public boolean ready() {
    return policies.synced()
        && deployments.synced()
        && hpas.synced()
        && (costReports == null || costReports.synced())
        && (!config.webhook() || webhookUp.get());
  }

  /**
   * flinkspot's HPAs in a namespace, from the cache (for the reactive validator's HPA checks). HPAs
   * without the flinkspot label are not cached.
   */
  public List<HorizontalPodAutoscaler> hpasInNamespace(String namespace) {
    return hpas.inNamespace(namespace);
  }

  public boolean live() {
    return queue.alive();
  }

  /** Nothing queued or in progress (tests and the benchmark). */
  public boolean idle() {
    return queue.idle() && (costReports == null || costReports.idle());
  }

  public int webhookPort() {
    return webhook == null ? -1 : webhook.port();
  }

  @Override
  public void close() {
    closing = true;
    certificateRefresh.shutdownNow();
    if (election != null) {
      election.cancel(true);
    }
    queue.close();
    if (costReports != null) {
      costReports.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    deployments.close();
    policies.close();
    hpas.close();
  }

  private void enqueueNamespace(String namespace) {
    for (var d : deployments.inNamespace(namespace)) {
      queue.add(new Key(Kind.DEPLOYMENT, namespace, d.getMetadata().getName()));
    }
  }

  private void enqueuePoliciesOf(GenericKubernetesResource d) {
    policyKeysOf(d).forEach(queue::add);
  }

  private List<Key> policyKeysOf(GenericKubernetesResource d) {
    String ns = d.getMetadata().getNamespace();
    String named = FlinkDeployments.policyLabel(d);
    if (named != null && !named.isBlank()) {
      return List.of(new Key(Kind.POLICY, ns, named));
    }
    return index.defaultsIn(ns).stream().map(p -> new Key(Kind.POLICY, ns, p)).toList();
  }

  /** The policy of an HPA's deployment, re-run once per {@link #HPA_STATUS_COALESCE}. */
  private void refreshPolicyStatusSoon(HorizontalPodAutoscaler hpa) {
    var d = deployments.get(hpa.getMetadata().getNamespace(), deploymentOf(hpa));
    if (d == null) {
      return;
    }
    for (Key key : policyKeysOf(d)) {
      if (policyRefreshPending.add(key)) {
        queue.addAfter(key, HPA_STATUS_COALESCE);
      }
    }
  }

  private static String deploymentOf(HorizontalPodAutoscaler hpa) {
    var labels = hpa.getMetadata().getLabels();
    String named = labels == null ? null : labels.get(HpaSpecs.DEPLOYMENT_LABEL);
    return named == null ? hpa.getMetadata().getName() : named;
  }

  /** What the policy status reports of an HPA (not its metric readings, which change each sync). */
  private static boolean reportedChanged(HorizontalPodAutoscaler a, HorizontalPodAutoscaler b) {
    return !HpaMetrics.Values.of(a).equals(HpaMetrics.Values.of(b))
        || !Objects.equals(a.getSpec().getMinReplicas(), b.getSpec().getMinReplicas())
        || !Objects.equals(
            a.getStatus() == null ? null : a.getStatus().getConditions(),
            b.getStatus() == null ? null : b.getStatus().getConditions())
        || !Objects.equals(
            a.getStatus() == null ? null : a.getStatus().getLastScaleTime(),
            b.getStatus() == null ? null : b.getStatus().getLastScaleTime());
  }

  /** flinkspot's HPAs: gauges on every replica; drift repair and status refresh on the leader. */
  private final class HpaEvents implements ResourceEventHandler<HorizontalPodAutoscaler> {
    @Override
    public void onAdd(HorizontalPodAutoscaler h) {
      hpaMetrics.update(h);
      if (leader.get()) {
        queue.add(new Key(Kind.DEPLOYMENT, h.getMetadata().getNamespace(), deploymentOf(h)));
        refreshPolicyStatusSoon(h);
      }
    }

    @Override
    public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler h) {
      hpaMetrics.update(h);
      if (!leader.get()) {
        return;
      }
      boolean owned =
          !Objects.equals(old.getSpec(), h.getSpec())
              || !Objects.equals(old.getMetadata().getLabels(), h.getMetadata().getLabels())
              || !Objects.equals(
                  old.getMetadata().getOwnerReferences(), h.getMetadata().getOwnerReferences());
      if (owned) {
        // Someone edited a field we own (or we did): compare with the policy again.
        queue.add(new Key(Kind.DEPLOYMENT, h.getMetadata().getNamespace(), deploymentOf(h)));
      }
      if (reportedChanged(old, h)) {
        refreshPolicyStatusSoon(h);
      }
    }

    @Override
    public void onDelete(HorizontalPodAutoscaler h, boolean unknownFinalState) {
      hpaMetrics.remove(h);
      if (leader.get()) {
        queue.add(new Key(Kind.DEPLOYMENT, h.getMetadata().getNamespace(), deploymentOf(h)));
        refreshPolicyStatusSoon(h);
      }
    }
  }

  private final class PolicyEvents implements ResourceEventHandler<FlinkSpotPolicy> {
    @Override
    public void onAdd(FlinkSpotPolicy p) {
      index.put(p);
      if (leader.get()) {
        queue.add(new Key(Kind.POLICY, p.getMetadata().getNamespace(), p.getMetadata().getName()));
        enqueueNamespace(p.getMetadata().getNamespace());
      }
    }

    @Override
    public void onUpdate(FlinkSpotPolicy old, FlinkSpotPolicy p) {
      index.put(p);
      boolean specChanged =
          !Objects.equals(old.getMetadata().getGeneration(), p.getMetadata().getGeneration());
      if (leader.get() && specChanged) {
        queue.add(new Key(Kind.POLICY, p.getMetadata().getNamespace(), p.getMetadata().getName()));
        enqueueNamespace(p.getMetadata().getNamespace());
      }
    }

    @Override
    public void onDelete(FlinkSpotPolicy p, boolean unknownFinalState) {
      index.remove(p);
      if (leader.get()) {
        enqueueNamespace(p.getMetadata().getNamespace());
      }
    }
  }

  private final class DeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource d) {
      if (leader.get()) {
        queue.add(
            new Key(Kind.DEPLOYMENT, d.getMetadata().getNamespace(), d.getMetadata().getName()));
        enqueuePoliciesOf(d);
      }
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource d) {
      if (leader.get()) {
        queue.add(
            new Key(Kind.DEPLOYMENT, d.getMetadata().getNamespace(), d.getMetadata().getName()));
        if (!Objects.equals(FlinkDeployments.policyLabel(old), FlinkDeployments.policyLabel(d))) {
          enqueuePoliciesOf(old);
          enqueuePoliciesOf(d);
        }
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource d, boolean unknownFinalState) {
      if (leader.get()) {
        enqueuePoliciesOf(d);
      }
    }
  }
}
