package dev.flinkspot.controller;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The governed FlinkDeployments that run (a TaskManager bound to a node), which share the cluster's
 * fixed cost (the EKS control plane) in equal parts. Kept by the cost-report loop's event handlers
 * from its caches, so that a reconcile knows how many others share without listing the cluster.
 *
 * @param <K> a deployment's key
 */
final class RunningDeployments<K> {

  private final Set<K> running = new HashSet<>();

  /**
   * Records whether {@code key} runs now; returns true when the number of running deployments
   * changed, i.e. every running deployment's share changed.
   */
  synchronized boolean set(K key, boolean runs) {
    return runs ? running.add(key) : running.remove(key);
  }

  /** How many deployments other than {@code key} run. */
  synchronized int othersThan(K key) {
    return running.size() - (running.contains(key) ? 1 : 0);
  }

  synchronized List<K> all() {
    return List.copyOf(running);
  }
}
