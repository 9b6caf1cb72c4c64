package dev.flinkspot.controller;

import dev.flinkspot.interruption.counts.InterruptionCounts;
import dev.flinkspot.interruption.counts.NoticeFact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-over of counted notices from the Spot notice loop to the loops that write the counts:
 * the policy status loop (the policy's {@code status.interruptions}) and the cost-report loop (the
 * report's). Each of them is the one writer of its status; it folds the facts pending for a key
 * into the status it writes ({@link InterruptionCounts#fold}) and settles them once the status in
 * the API server covers them. Facts are kept only in memory until then: the durable record is the
 * status, and what a crash loses before the write, the next leader replays from the Events ({@link
 * EarlierNotices#facts}); counting is idempotent, so nothing is counted twice. Writes are
 * proportional to notices: a fact queues its policy and its report, nothing else.
 */
final class NoticeCounts {

  /** Facts waiting for their status write, per loop; beyond, a new fact is dropped (logged). */
  static final int CAPACITY = 10_000;

  private final Duration window;
  final Inbox<PolicyStatusLoop.Key> policies;
  final Inbox<CostReportLoop.Key> reports;

  /**
   * @param window the notice window: a notice of the same deployment and node within it is the same
   *     notice
   */
  NoticeCounts(Duration window) {
    this.window = window;
    this.policies = new Inbox<>(window);
    this.reports = new Inbox<>(window);
  }

  Duration window() {
    return window;
  }

  /** A fact of a deployment of {@code namespace} governed by {@code policy}. */
  void handOver(String namespace, String policy, NoticeFact fact) {
    policies.add(new PolicyStatusLoop.Key(namespace, policy), fact);
    reports.add(new CostReportLoop.Key(namespace, fact.deployment()), fact.unnamed());
  }

  /** The facts pending for one loop's keys. Thread-safe. */
  static final class Inbox<K> {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    private final Duration window;
    private final Map<K, List<NoticeFact>> pending = new HashMap<>();
    private int size;
    private volatile Consumer<K> wake;

    Inbox(Duration window) {
      this.window = window;
    }

    /**
     * The loop that writes the counts: {@code wake} queues a key. Until then, facts are ignored.
     */
    void consumedBy(Consumer<K> wake) {
      this.wake = wake;
    }

    void add(K key, NoticeFact fact) {
      Consumer<K> w = wake;
      if (w == null) {
        return;
      }
      synchronized (this) {
        if (size >= CAPACITY) {
          LOG.warn("{} facts wait for their status write; not counted: {}", size, fact);
          return;
        }
        pending.computeIfAbsent(key, k -> new ArrayList<>()).add(fact);
        size++;
      }
      w.accept(key);
    }

    /** {@code current} with the facts pending for {@code key} (null: none counted yet). */
    synchronized InterruptionCounts fold(K key, InterruptionCounts current) {
      List<NoticeFact> facts = pending.get(key);
      return facts == null ? current : InterruptionCounts.fold(current, facts, window);
    }

    /**
     * Forgets the facts of {@code key} that {@code written}, the status now in the API server,
     * covers (null: none counted); the others wait for the next write.
     */
    synchronized void settle(K key, InterruptionCounts written) {
      List<NoticeFact> facts = pending.get(key);
      if (facts == null) {
        return;
      }
      InterruptionCounts counts = written == null ? InterruptionCounts.NONE : written;
      int before = facts.size();
      facts.removeIf(f -> counts.covers(f, window));
      size -= before - facts.size();
      if (facts.isEmpty()) {
        pending.remove(key);
      }
    }

    /** Forgets every fact of {@code key} (what it counted in is gone). */
    synchronized void drop(K key) {
      List<NoticeFact> facts = pending.remove(key);
      size -= facts == null ? 0 : facts.size();
    }

    synchronized boolean has(K key) {
      return pending.containsKey(key);
    }
  }
}
