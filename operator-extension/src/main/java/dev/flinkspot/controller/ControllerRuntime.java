package dev.flinkspot.controller;

import dev.flinkspot.kube.KubeEventRecorder;
import dev.flinkspot.kube.PolicyStatusRecorder;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.webhook.AdmissionHandler;
import dev.flinkspot.webhook.WebhookServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
    var events = new KubeEventRecorder(client, "flinkspot-controller", config.identity(), clock);
    this.deploymentReconciler = new FlinkDeploymentReconciler(client, index, events);
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
    var events = new KubeEventRecorder(client, "flinkspot-controller", config.identity(), clock);
    this.costReports =
        new CostReports(
            client, settings, config, deployments, policies, index, events, metrics, clock);
    return this;
  }

  /** Starts informers, webhook and leader election; returns once the caches are synced. */
  public ControllerRuntime start() throws Exception {
    policies.addEventHandler(new PolicyEvents());
    deployments.addEventHandler(new DeploymentEvents());
    policies.start().get();
    deployments.start().get();
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
            new AdmissionHandler(index),
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
      } else {
        var p = policies.get(key.namespace(), key.name());
        if (p == null) {
          return null;
        }
        try {
          result =
              policyReconciler.reconcile(p, deployments.inNamespace(key.namespace()))
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
        && (costReports == null || costReports.synced())
        && (!config.webhook() || webhookUp.get());
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
  }

  private void enqueueNamespace(String namespace) {
    for (var d : deployments.inNamespace(namespace)) {
      queue.add(new Key(Kind.DEPLOYMENT, namespace, d.getMetadata().getName()));
    }
  }

  private void enqueuePoliciesOf(GenericKubernetesResource d) {
    String ns = d.getMetadata().getNamespace();
    String named = FlinkDeployments.policyLabel(d);
    if (named != null && !named.isBlank()) {
      queue.add(new Key(Kind.POLICY, ns, named));
    } else {
      index.defaultsIn(ns).forEach(p -> queue.add(new Key(Kind.POLICY, ns, p)));
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
