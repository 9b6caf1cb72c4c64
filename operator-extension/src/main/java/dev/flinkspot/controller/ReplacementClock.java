package dev.flinkspot.controller;

import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import dev.flinkspot.interruption.WarmSpares;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times {@code flinkspot_notice_to_replacement_ready_seconds}: from a deployment's Spot notice to
 * the first of its TaskManager pods off the noticed node that turns Ready after it (the new pod the
 * Flink ResourceManager or the TaskManager Deployment starts, on a warm spare's place or on new
 * capacity). Reads the shared pod informer (the cache keeps each pod's Ready condition). Bounded:
 * one notice per deployment waits at a time, at most {@link #CAPACITY}, each for at most {@link
 * #GIVE_UP} (then it is dropped unrecorded: beyond the histogram's last bucket, and the TaskManager
 * may never have been replaced).
 */
final class ReplacementClock {

  static final Duration GIVE_UP = Duration.ofMinutes(30);
  static final int CAPACITY = 10_000;

  private record Waiting(String node, Instant at, boolean spare) {}

  private final Shared shared;
  private final Map<DeploymentRef, Waiting> waiting = new LinkedHashMap<>();

  ReplacementClock(Shared shared) {
    this.shared = shared;
    shared.onPod(new PodEvents());
  }

  /**
   * A notice of {@code deployment} on {@code node} at {@code at}; {@code spare}: a warm spare was
   * ready to take the replacement. A deployment already waiting keeps its first notice.
   */
  synchronized void noticed(DeploymentRef deployment, String node, Instant at, boolean spare) {
    expire(at);
    if (waiting.size() < CAPACITY) {
      waiting.putIfAbsent(deployment, new Waiting(node, at, spare));
    }
  }

  private void ready(Pod p) {
    var app = FlinkPods.deploymentOf(p);
    var nodes = Caches.nodeOf(p);
    if (app.isEmpty() || nodes.isEmpty()) {
      return;
    }
    var ref = new DeploymentRef(p.getMetadata().getNamespace(), app.get());
    Instant now = shared.clock().instant();
    Waiting w;
    synchronized (this) {
      expire(now);
      w = waiting.get(ref);
      if (w == null || w.node().equals(nodes.get(0))) {
        return;
      }
      waiting.remove(ref);
    }
    NoticeMetrics.replacementReady(shared.metrics(), w.spare(), Duration.between(w.at(), now));
  }

  private void expire(Instant now) {
    Iterator<Waiting> it = waiting.values().iterator();
    while (it.hasNext()) {
      if (!it.next().at().plus(GIVE_UP).isAfter(now)) {
        it.remove();
      }
    }
  }

  private static boolean taskManager(Pod p) {
    var labels = p.getMetadata().getLabels();
    return labels != null && FlinkPods.TASK_MANAGER.equals(labels.get(FlinkPods.COMPONENT));
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod p) {
      if (taskManager(p) && WarmSpares.isReady(p)) {
        ready(p);
      }
    }

    @Override
    public void onUpdate(Pod old, Pod p) {
      if (taskManager(p) && WarmSpares.isReady(p) && !WarmSpares.isReady(old)) {
        ready(p);
      }
    }

    @Override
    public void onDelete(Pod p, boolean unknownFinalState) {}
  }
}
