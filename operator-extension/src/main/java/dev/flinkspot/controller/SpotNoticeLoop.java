package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.flink.FlinkConfiguration;
import dev.flinkspot.interruption.NodeNotice;
import dev.flinkspot.interruption.NodeNotice.Affected;
import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import dev.flinkspot.interruption.NodeNotice.Handling;
import dev.flinkspot.interruption.NoticeMessages;
import dev.flinkspot.interruption.NoticeSignal;
import dev.flinkspot.interruption.NoticeWindow;
import dev.flinkspot.interruption.counts.NoticeFact;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Spot notice loop: when a node shows a reclaim notice ({@link NoticeSignal}), one checkpoint
 * of each governed deployment with TaskManagers on it, through the JobManager REST API, at most
 * once per deployment per node per notice window. It reads the runtime's shared informers: nodes
 * (reduced to labels, taints and the cordon) and governed pods (indexed by node). Keys are node
 * names; the checkpoints run on a small pool so a slow JobManager never holds up another
 * deployment's notice. Records {@code SpotNotice} and {@code CheckpointOnNotice[Failed]} Events on
 * the deployment and never writes it. Only the leader triggers (the queue runs only while leading).
 * Each notice and checkpoint outcome is handed over to be counted in the policy and cost-report
 * statuses ({@link NoticeCounts}); a new leader hands over again what its predecessor's Events say.
 */
final class SpotNoticeLoop extends QueuedLoop<String> {

  private final SpotNoticeSettings settings;
  private final NoticeWindow window;
  private final NoticeCheckpoints checkpoints;
  private final NoticeReplacements replacements;
  private final NoticeCounts counts;
  private final ReplacementClock replacementClock;

  SpotNoticeLoop(Shared shared, SpotNoticeSettings settings, NoticeCounts counts) {
    super(shared, "spot-notice", 1);
    this.settings = settings;
    this.counts = counts;
    this.window = new NoticeWindow(settings.window(), 10_000);
    this.checkpoints = new NoticeCheckpoints(shared, settings, this::handOver);
    NoticeMetrics.register(shared.metrics());
    this.replacements = new NoticeReplacements(shared);
    this.replacementClock = new ReplacementClock(shared);
    shared.onNode(new NodeEvents());
    shared.onPod(new PodEvents());
  }

  @Override
  public String name() {
    return "spot-notices";
  }

  @Override
  public boolean idle() {
    return super.idle() && checkpoints.idle();
  }

  /**
   * Remembers what an earlier leader acted on, and hands its recent notices and outcomes over to be
   * counted (those already counted are recognised), before queuing every node that shows a notice.
   */
  @Override
  public void gainedLeadership() {
    var earlier = EarlierNotices.read(shared);
    EarlierNotices.seed(earlier, window);
    EarlierNotices.facts(earlier, shared.clock().instant().minus(counts.window()))
        .forEach(f -> handOver(f.deployment(), f.fact()));
    super.gainedLeadership();
  }

  /** Hands {@code fact} over to be counted by the deployment's policy and its cost report. */
  private void handOver(DeploymentRef ref, NoticeFact fact) {
    var d = shared.deployments().get(ref.namespace(), ref.name());
    if (d == null) {
      return;
    }
    var resolution =
        PolicyResolver.resolve(ref.namespace(), d.getMetadata().getLabels(), shared.index());
    if (resolution instanceof PolicyResolver.Governed g) {
      counts.handOver(ref.namespace(), g.policy().name(), fact);
    }
  }

  @Override
  protected void enqueueAll() {
    shared.nodes().getStore().list().stream()
        .filter(NoticeSignal::mayShow)
        .forEach(n -> queue.add(n.getMetadata().getName()));
  }

  @Override
  protected Duration reconcile(String node) {
    return measured(
        "NODE",
        () -> {
          Node n = shared.nodes().getStore().getByKey(node);
          if (n == null) {
            return Pass.NOTHING;
          }
          int triggered = 0;
          for (Affected a :
              NodeNotice.affected(
                  n, shared.pods().byIndex(Caches.PODS_BY_NODE, node), this::handling)) {
            if (window.first(a.deployment(), node, shared.clock().instant())) {
              notice(a);
              triggered++;
            }
          }
          return new Pass(triggered > 0 ? "CHECKPOINT_TRIGGERED" : "UNCHANGED", null);
        });
  }

  /** The notice handling of a deployment's policy, or empty when none governs it. */
  private Optional<Handling> handling(DeploymentRef ref) {
    var d = shared.deployments().get(ref.namespace(), ref.name());
    if (d == null) {
      return Optional.empty();
    }
    var resolution =
        PolicyResolver.resolve(ref.namespace(), d.getMetadata().getLabels(), shared.index());
    if (resolution instanceof PolicyResolver.Governed g) {
      var p = g.policy();
      return Optional.of(new Handling(p.rebalanceIsNotice(), p.capacityKey(), p.spotValues()));
    }
    return Optional.empty();
  }

  private void notice(Affected a) {
    var d = shared.deployments().get(a.deployment().namespace(), a.deployment().name());
    if (d == null) {
      return;
    }
    var target = FlinkDeployments.target(d);
    Instant noticedAt = shared.clock().instant();
    NoticeMetrics.notice(shared.metrics(), a.signal());
    handOver(
        a.deployment(),
        new NoticeFact.Notice(a.deployment().name(), a.node(), a.signal().label(), noticedAt));
    shared.events().record(target, EventReason.SpotNotice, NoticeMessages.notice(a));
    JsonNode json = shared.client().getKubernetesSerialization().convertValue(d, JsonNode.class);
    URI base =
        settings
            .address()
            .restBase(
                a.deployment().namespace(),
                a.deployment().name(),
                FlinkConfiguration.of(json).restPort());
    checkpoints.take(a, target, base);
    boolean spare = replacements.record(a, target);
    replacementClock.noticed(a.deployment(), a.node(), noticedAt, spare);
  }

  @Override
  public void close() {
    super.close();
    checkpoints.close();
  }

  /** What may change a node's notice: its taints and its cordon (the store keeps only those). */
  private static boolean noticeChanged(Node old, Node n) {
    return !Objects.equals(noticeState(old), noticeState(n));
  }

  private static List<Object> noticeState(Node n) {
    var spec = n.getSpec();
    return spec == null
        ? List.of()
        : java.util.Arrays.asList(spec.getTaints(), spec.getUnschedulable());
  }

  private final class NodeEvents implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node n) {
      if (NoticeSignal.mayShow(n)) {
        enqueue(n.getMetadata().getName());
      }
    }

    @Override
    public void onUpdate(Node old, Node n) {
      if (NoticeSignal.mayShow(n) && noticeChanged(old, n)) {
        enqueue(n.getMetadata().getName());
      }
    }

    @Override
    public void onDelete(Node n, boolean unknownFinalState) {}
  }

  /** A TaskManager bound to a node that already shows a notice (e.g. seen after the node). */
  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod p) {
      enqueueNodeOf(p);
    }

    @Override
    public void onUpdate(Pod old, Pod p) {
      if (!Objects.equals(Caches.nodeOf(old), Caches.nodeOf(p))) {
        enqueueNodeOf(p);
      }
    }

    @Override
    public void onDelete(Pod p, boolean unknownFinalState) {}

    private void enqueueNodeOf(Pod p) {
      for (String node : Caches.nodeOf(p)) {
        if (NoticeSignal.mayShow(shared.nodes().getStore().getByKey(node))) {
          enqueue(node);
        }
      }
    }
  }
}
