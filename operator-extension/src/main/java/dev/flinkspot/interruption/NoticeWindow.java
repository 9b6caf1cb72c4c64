package dev.flinkspot.interruption;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one checkpoint per deployment per node per notice window: a taint that flaps (NTH
 * re-tainting, a node cordoned and uncordoned) or several signals on the same node cause no storm.
 * The window should outlast the notice (a Spot reclaim comes 2 minutes after its notice). Bounded:
 * expired entries are dropped, and at most {@code capacity} are kept (the oldest go first).
 * Thread-safe.
 */
public final class NoticeWindow {

  private final Duration window;
  private final int capacity;
  private final LinkedHashMap<String, Instant> firstSeen = new LinkedHashMap<>();

  public NoticeWindow(Duration window, int capacity) {
    if (window.isNegative() || window.isZero() || capacity < 1) {
      throw new IllegalArgumentException("window must be positive and capacity at least 1");
    }
    this.window = window;
    this.capacity = capacity;
  }

  /**
   * True once per {@code deployment} and {@code node} within the window starting at the first call;
   * false for every repeat inside it.
   */
  public synchronized boolean first(NodeNotice.DeploymentRef deployment, String node, Instant now) {
    expire(now);
    String key = deployment + "@" + node;
    if (firstSeen.containsKey(key)) {
      return false;
    }
    if (firstSeen.size() >= capacity) {
      Iterator<Map.Entry<String, Instant>> oldest = firstSeen.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
    firstSeen.put(key, now);
    return true;
  }

  /**
   * Records a notice acted on at {@code at} by an earlier leader (call oldest first, before any
   * {@link #first}), so that it is not acted on again within the window.
   */
  public synchronized void remember(NodeNotice.DeploymentRef deployment, String node, Instant at) {
    if (firstSeen.size() < capacity) {
      firstSeen.putIfAbsent(deployment + "@" + node, at);
    }
  }

  /** Entries kept (tests). */
  synchronized int size() {
    return firstSeen.size();
  }

  private void expire(Instant now) {
    // Insertion order is time order, so the expired entries are at the head.
    Iterator<Map.Entry<String, Instant>> it = firstSeen.entrySet().iterator();
    while (it.hasNext() && !it.next().getValue().plus(window).isAfter(now)) {
      it.remove();
    }
  }
}
