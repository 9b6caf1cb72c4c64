package dev.flinkspot.controller;

import dev.flinkspot.kube.KubeEventRecorder;
import dev.flinkspot.policy.FlinkSpotPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller, kept small: the shared informers ({@link Caches}: FlinkSpotPolicies,
 * FlinkDeployments, flinkspot's HPAs, governed pods, nodes), the policy index they feed, the Lease,
 * and the {@link Loop}s it is given ({@link Loops#standard}), which do the work. Every replica
 * starts the informers and the loops; only the replica holding the Lease lets the loops write.
 */
public final class ControllerRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerRuntime.class);

  private final KubernetesClient client;
  private final ControllerConfig config;
  private final PolicyIndex index = new PolicyIndex();
  private final Informers<FlinkSpotPolicy> policies;
  private final Informers<GenericKubernetesResource> deployments;
  private final Informers<HorizontalPodAutoscaler> hpas;
  private final Informers<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final KubeEventRecorder events;
  private final Shared shared;
  private final List<Loop> loops;
  private final AtomicBoolean leader = new AtomicBoolean();
  private volatile LeaseElection election;
  private volatile boolean closing;
  private volatile Runnable onLostLeadership = () -> {};

  /**
   * @param loops builds the loops from what they share ({@link Loops#standard})
   */
  public ControllerRuntime(
      KubernetesClient client,
      ControllerConfig config,
      MeterRegistry metrics,
      Clock clock,
      Function<Shared, List<Loop>> loops) {
    this.client = client;
    this.config = config;
    this.policies = Caches.policies(client, config);
    this.deployments = Caches.deployments(client, config);
    this.hpas = Caches.hpas(client, config);
    this.pods = Caches.pods(client, config);
    this.nodes = Caches.nodes(client, config);
    // One recorder for every loop: it de-duplicates per object and reason.
    this.events = new KubeEventRecorder(client, "flinkspot-controller", config.identity(), clock);
    this.shared =
        new Shared(
            client,
            config,
            metrics,
            clock,
            index,
            policies,
            deployments,
            hpas,
            pods,
            nodes,
            events,
            leader::get);
    this.loops = loops.apply(shared);
    // One handler per informer: the index first, then every loop in order.
    policies.addEventHandler(Shared.fanOut(index::put, index::remove, shared.policyHandlers));
    deployments.addEventHandler(Shared.fanOut(d -> {}, d -> {}, shared.deploymentHandlers));
    hpas.addEventHandler(Shared.fanOut(h -> {}, h -> {}, shared.hpaHandlers));
    pods.addEventHandler(Shared.fanOut(p -> {}, p -> {}, shared.podHandlers));
    nodes.addEventHandler(Shared.fanOut(n -> {}, n -> {}, shared.nodeHandlers));
    metrics.gauge("flinkspot_leader", leader, l -> l.get() ? 1 : 0);
    metrics.gauge(
        "flinkspot_queue_depth", this.loops, ls -> ls.stream().mapToInt(Loop::queued).sum());
  }

  /**
   * Also run when the Lease is lost while running (after the loops stopped writing); by default
   * nothing: the replica stays up as a follower and rejoins the election. Tests observe it.
   */
  public ControllerRuntime onLostLeadership(Runnable action) {
    this.onLostLeadership = action;
    return this;
  }

  /** Starts informers, loops and leader election; returns once the caches are synced. */
  public ControllerRuntime start() throws Exception {
    policies.start().get();
    deployments.start().get();
    hpas.start().get();
    pods.start().get();
    nodes.start().toCompletableFuture().get();
    for (Loop loop : loops) {
      loop.start();
    }
    LOG.info(
        "caches synced: {} namespaces watched; loops {}",
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        loops.stream().map(Loop::name).toList());
    if (config.leaderElection()) {
      election = new LeaseElection(client, config, this::startLeading, this::stopLeading).start();
    } else {
      startLeading();
    }
    return this;
  }

  private void startLeading() {
    if (config.leaderElection()) {
      LOG.info("{} leads: reconciling", config.identity());
    }
    leader.set(true);
    try {
      int remembered = events.rememberExisting(config.namespaces());
      if (remembered > 0) {
        LOG.info("{} Events of earlier leaders remembered", remembered);
      }
    } catch (RuntimeException e) {
      // Only costs 409s on Events already written; reconciling goes on.
      LOG.warn("could not list earlier Events: {}", e.getMessage());
    }
    loops.forEach(Loop::gainedLeadership);
  }

  private void stopLeading() {
    if (leader.getAndSet(false) && !closing) {
      // Another replica may lead now: stop writing at once (the Writer checks too, for a write in
      // flight). Stay up: the caches keep serving admission, and the LeaseElection rejoins.
      LOG.warn(
          "{} lost the Lease: stopped writing; admission is served from the caches until the"
              + " Lease is regained",
          config.identity());
      loops.forEach(Loop::lostLeadership);
      onLostLeadership.run();
    }
  }

  /** Informer caches synced and every loop ready (the webhook serving, when enabled). */
  public boolean ready() {
    return policies.synced()
        && deployments.synced()
        && hpas.synced()
        && pods.synced()
        && nodes.hasSynced()
        && loops.stream().allMatch(Loop::synced);
  }

  /** Every loop's workers run. */
  public boolean live() {
    return loops.stream().allMatch(Loop::alive);
  }

  /** Nothing queued or in progress in any loop (tests and the benchmark). */
  public boolean idle() {
    return loops.stream().allMatch(Loop::idle);
  }

  /** Keys waiting per loop (the benchmark's progress lines). */
  public java.util.Map<String, Integer> queued() {
    var depths = new java.util.TreeMap<String, Integer>();
    loops.forEach(l -> depths.put(l.name(), l.queued()));
    return depths;
  }

  /** What the loops share (tests drive single reconciles through it). */
  public Shared shared() {
    return shared;
  }

  /** The webhook's HTTPS port, or -1 when it is not served. */
  public int webhookPort() {
    return loops.stream()
        .filter(WebhookLoop.class::isInstance)
        .mapToInt(l -> ((WebhookLoop) l).port())
        .findFirst()
        .orElse(-1);
  }

  @Override
  public void close() {
    closing = true;
    if (election != null) {
      election.close(leader.get()); // releases the Lease if this replica leads
    }
    for (Loop loop : loops) {
      try {
        loop.close();
      } catch (RuntimeException e) {
        LOG.warn("closing loop {}: {}", loop.name(), e.toString());
      }
    }
    deployments.close();
    policies.close();
    hpas.close();
    pods.close();
    nodes.close();
  }
}
