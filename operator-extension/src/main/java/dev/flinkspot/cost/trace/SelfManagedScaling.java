package dev.flinkspot.cost.trace;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * flinkspot on a load trace, with what it ships: the HPA that {@link
 * dev.flinkspot.scaling.HpaSpecs} writes sets the TaskManager replicas from their CPU; a pod runs
 * once a node has room for it, and new nodes (bin-packed by the production cost engine) are ready
 * after the node launch delay; each change in running TaskManagers is a Reactive Mode rescale — a
 * restart that pauses processing for the measured rescale pause, at most one per {@code
 * jobmanager.adaptive-scheduler.scaling-interval.min} when growing (losing a TaskManager restarts
 * at once); nodes left empty are removed after the node release delay. Billed per second for the
 * nodes that exist (launching ones included), plus On-Demand JobManagers and the control plane.
 */
final class SelfManagedScaling {

  /**
   * @param initialTaskManagers replicas at the start (nodes ready, job running)
   * @param taskManagerCpu vCPUs one TaskManager requests (the HPA's 100%)
   * @param rescalePauseSeconds processing stop per Reactive Mode rescale (sub-second precision)
   * @param scalingIntervalSeconds Flink's minimum time between two rescales
   * @param nodeLaunchSeconds from a node being wanted to pods running on it
   * @param nodeReleaseSeconds how long an unneeded node stays
   */
  record Rules(
      int initialTaskManagers,
      double taskManagerCpu,
      double rescalePauseSeconds,
      long scalingIntervalSeconds,
      long nodeLaunchSeconds,
      long nodeReleaseSeconds) {}

  /** Prices and packs: production code behind both functions. */
  record Pricing(IntUnaryOperator nodesForTaskManagers, IntFunction<BigDecimal> usdPerHour) {}

  private SelfManagedScaling() {}

  static SideResult simulate(
      LoadTrace trace,
      HorizontalPodAutoscalerModel hpa,
      Rules rules,
      Pricing pricing,
      long timelineStep) {
    long tick = HorizontalPodAutoscalerModel.SYNC_PERIOD_SECONDS;
    long duration = trace.durationSeconds();
    SideRecorder books = new SideRecorder(duration, timelineStep);
    LoadTrace.Cursor load = trace.cursor();
    int replicas =
        Math.max(hpa.minReplicas(), Math.min(hpa.maxReplicas(), rules.initialTaskManagers()));
    int readyNodes = pricing.nodesForTaskManagers().applyAsInt(replicas);
    List<long[]> launching = new ArrayList<>(); // {readyAt, nodes}
    int jobTaskManagers = replicas;
    double pausedUntil = 0;
    long lastRescale = Long.MIN_VALUE / 2;
    long unneededSince = -1;
    int rescales = 0;
    int peakNodes = readyNodes;
    java.util.Map<Integer, Integer> fit = new java.util.HashMap<>();
    IntUnaryOperator fitting = nodes -> fit.computeIfAbsent(nodes, k -> fitting(pricing, k));
    for (long now = 0; now < duration; now += tick) {
      long seconds = Math.min(tick, duration - now);
      for (var it = launching.iterator(); it.hasNext(); ) {
        long[] l = it.next();
        if (l[0] <= now) {
          readyNodes += (int) l[1];
          it.remove();
        }
      }
      int running = Math.min(replicas, fitting.applyAsInt(readyNodes));
      boolean pausedNow = now < pausedUntil;
      if (running != jobTaskManagers
          && (running < jobTaskManagers
              || (!pausedNow && now - lastRescale >= rules.scalingIntervalSeconds()))) {
        jobTaskManagers = running;
        pausedUntil = now + rules.rescalePauseSeconds();
        lastRescale = now;
        rescales++;
      }
      double paused = Math.max(0, Math.min(seconds, pausedUntil - now));
      double capacity = jobTaskManagers * rules.taskManagerCpu();
      int billedNodes = readyNodes + launchingNodes(launching);
      peakNodes = Math.max(peakNodes, billedNodes);
      BigDecimal rate =
          pricing.usdPerHour().apply(Math.max(replicas, fitting.applyAsInt(billedNodes)));
      double busy = books.tick(now, seconds, load.loadAt(now), capacity, paused, rate);

      double utilization = running == 0 ? 0 : busy / (running * rules.taskManagerCpu()) * 100;
      replicas = hpa.sync(now, replicas, running, utilization);

      int needed = pricing.nodesForTaskManagers().applyAsInt(replicas);
      if (needed > billedNodes) {
        launching.add(new long[] {now + seconds + rules.nodeLaunchSeconds(), needed - billedNodes});
        unneededSince = -1;
      } else if (needed < billedNodes) {
        if (unneededSince < 0) {
          unneededSince = now;
        }
        if (now + seconds - unneededSince >= rules.nodeReleaseSeconds()) {
          int release = billedNodes - needed;
          while (release > 0 && !launching.isEmpty()) {
            long[] last = launching.get(launching.size() - 1);
            int take = (int) Math.min(release, last[1]);
            last[1] -= take;
            release -= take;
            if (last[1] == 0) {
              launching.remove(launching.size() - 1);
            }
          }
          readyNodes -= release;
          unneededSince = -1;
        }
      } else {
        unneededSince = -1;
      }
    }
    List<String> notes = new ArrayList<>();
    notes.add(
        "self-managed: HPA "
            + hpa.minReplicas()
            + " to "
            + hpa.maxReplicas()
            + " TaskManagers; ended at "
            + replicas
            + "; peak "
            + peakNodes
            + " TaskManager node(s); "
            + rescales
            + " Reactive Mode rescale(s), each pausing processing "
            + rules.rescalePauseSeconds()
            + " s");
    return books.finish("self-managed on EKS", duration, rescales, "Reactive rescales", notes);
  }

  private static int launchingNodes(List<long[]> launching) {
    int n = 0;
    for (long[] l : launching) {
      n += (int) l[1];
    }
    return n;
  }

  /** The most TaskManagers that {@code nodes} nodes hold, by the cost engine's packing. */
  static int fitting(Pricing pricing, int nodes) {
    int n = 0;
    while (pricing.nodesForTaskManagers().applyAsInt(n + 1) <= nodes) {
      n++;
      if (n > 100_000) {
        break;
      }
    }
    return n;
  }
}
