package dev.flinkspot.controller;

import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.scaling.HpaSpecs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy status loop: each FlinkSpotPolicy's status (Ready, governed deployments, scaling and
 * Reactive Mode conditions) through the {@link PolicyReconciler}. Queued on the policy's spec
 * changes, on a deployment joining or leaving it, (coalesced) on what its HPAs report, and on a
 * Spot notice or checkpoint outcome of a deployment it governs ({@link NoticeCounts}: the counts
 * are folded into the status this loop writes, and settled once written).
 */
final class PolicyStatusLoop extends QueuedLoop<PolicyStatusLoop.Key> {

  /**
   * HPA status changes fold into one policy status reconcile per policy per this period (the HPA
   * controller may write each HPA's status every 15 s).
   */
  static final Duration HPA_STATUS_COALESCE = Duration.ofSeconds(5);

  /**
   * A pass reads every governed deployment of the policy (about a second at 10,000 on a shared
   * core): a change while it runs waits this many times the last pass before the next one, so that
   * deployments arriving one by one do not keep a core busy with back-to-back passes.
   */
  static final int PASS_SPACING = 4;

  /** A policy's key. */
  record Key(String namespace, String name) {
    @Override
    public String toString() {
      return "POLICY " + namespace + "/" + name;
    }
  }

  private final PolicyReconciler reconciler;
  private final Set<Key> refreshPending = ConcurrentHashMap.newKeySet();
  private final NoticeCounts.Inbox<Key> notices;
  private volatile Duration lastPass = Duration.ZERO;

  PolicyStatusLoop(Shared shared, NoticeCounts counts) {
    super(shared, "policy-status", 1);
    this.notices = counts.policies;
    this.reconciler =
        new PolicyReconciler(
            shared.index(),
            new PolicyStatusRecorder(
                shared.writer(),
                p ->
                    notices.fold(
                        new Key(p.getMetadata().getNamespace(), p.getMetadata().getName()),
                        p.getStatus() == null ? null : p.getStatus().getInterruptions())),
            shared.events(),
            shared.clock(),
            shared.config().webhook());
    notices.consumedBy(this::enqueue);
    shared.onPolicy(new PolicyEvents());
    shared.onDeployment(new DeploymentEvents());
    shared.onHpa(new HpaEvents());
    // A deployment's repair refused, or admitted again: its policy's RepairsAdmitted changes.
    shared
        .writer()
        .onRejectionChange(
            ref -> {
              var d =
                  dev.flinkspot.kube.Names.FLINK_DEPLOYMENT_KIND.equals(ref.kind())
                      ? shared.deployments().get(ref.namespace(), ref.name())
                      : null;
              if (d != null) {
                enqueuePoliciesOf(d);
              }
            });
  }

  @Override
  public String name() {
    return "policy-status";
  }

  /** Not idle while an HPA-driven refresh waits out its coalescing delay (not yet queued). */
  @Override
  public boolean idle() {
    return super.idle() && refreshPending.isEmpty();
  }

  @Override
  protected void enqueueAll() {
    for (var p : shared.policies().inNamespaceAll()) {
      queue.add(new Key(p.getMetadata().getNamespace(), p.getMetadata().getName()));
    }
  }

  @Override
  protected Duration reconcile(Key key) {
    return measured(
        "POLICY",
        () -> {
          refreshPending.remove(key);
          var p = shared.policies().get(key.namespace(), key.name());
          if (p == null) {
            notices.drop(key);
            return Pass.NOTHING;
          }
          long start = System.nanoTime();
          var write =
              reconciler.reconcile(
                  p, shared.deployments().inNamespace(key.namespace()), shared.hpas()::get);
          if (!write.retry()) {
            notices.settle(key, p.getStatus() == null ? null : p.getStatus().getInterruptions());
          }
          lastPass = Duration.ofNanos(System.nanoTime() - start);
          String result =
              switch (write) {
                case PATCHED -> "STATUS_WRITTEN";
                case CONFLICT -> "RETRY";
                default -> "UNCHANGED";
              };
          return new Pass(result, write.retry() ? PlacementLoop.RETRY : null);
        });
  }

  /** The policies that govern (or would govern) a deployment: its label's, else the defaults. */
  private List<Key> policyKeysOf(GenericKubernetesResource d) {
    String ns = d.getMetadata().getNamespace();
    String named = FlinkDeployments.policyLabel(d);
    if (named != null && !named.isBlank()) {
      return List.of(new Key(ns, named));
    }
    return shared.index().defaultsIn(ns).stream().map(p -> new Key(ns, p)).toList();
  }

  /** A deployment joined or left: its policies, after {@link #PASS_SPACING} times the last pass. */
  private void enqueuePoliciesOf(GenericKubernetesResource d) {
    policyKeysOf(d).forEach(key -> refreshSoon(key, Duration.ZERO));
  }

  /** The policy of an HPA's deployment, re-run once per {@link #HPA_STATUS_COALESCE}. */
  private void refreshSoon(HorizontalPodAutoscaler hpa) {
    var d = shared.deployments().get(hpa.getMetadata().getNamespace(), HpaSpecs.deploymentOf(hpa));
    if (d == null) {
      return;
    }
    policyKeysOf(d).forEach(key -> refreshSoon(key, HPA_STATUS_COALESCE));
  }

  /** Queues {@code key} once, after {@code atLeast} or {@link #PASS_SPACING} last passes. */
  private void refreshSoon(Key key, Duration atLeast) {
    if (!shared.leading() || !refreshPending.add(key)) {
      return;
    }
    Duration spaced = lastPass.multipliedBy(PASS_SPACING);
    Duration wait = spaced.compareTo(atLeast) > 0 ? spaced : atLeast;
    if (wait.toMillis() < 50) {
      queue.add(key);
    } else {
      queue.addAfter(key, wait);
    }
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

  private final class PolicyEvents implements ResourceEventHandler<FlinkSpotPolicy> {
    private void enqueue(FlinkSpotPolicy p) {
      PolicyStatusLoop.this.enqueue(
          new Key(p.getMetadata().getNamespace(), p.getMetadata().getName()));
    }

    @Override
    public void onAdd(FlinkSpotPolicy p) {
      enqueue(p);
    }

    @Override
    public void onUpdate(FlinkSpotPolicy old, FlinkSpotPolicy p) {
      if (!Objects.equals(old.getMetadata().getGeneration(), p.getMetadata().getGeneration())) {
        enqueue(p);
      }
    }

    @Override
    public void onDelete(FlinkSpotPolicy p, boolean unknownFinalState) {}
  }

  private final class DeploymentEvents implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource d) {
      enqueuePoliciesOf(d);
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource d) {
      if (!Objects.equals(FlinkDeployments.policyLabel(old), FlinkDeployments.policyLabel(d))) {
        enqueuePoliciesOf(old);
        enqueuePoliciesOf(d);
      }
    }

    @Override
    public void onDelete(GenericKubernetesResource d, boolean unknownFinalState) {
      enqueuePoliciesOf(d);
    }
  }

  private final class HpaEvents implements ResourceEventHandler<HorizontalPodAutoscaler> {
    @Override
    public void onAdd(HorizontalPodAutoscaler h) {
      refreshSoon(h);
    }

    @Override
    public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler h) {
      if (reportedChanged(old, h)) {
        refreshSoon(h);
      }
    }

    @Override
    public void onDelete(HorizontalPodAutoscaler h, boolean unknownFinalState) {
      refreshSoon(h);
    }
  }
}
