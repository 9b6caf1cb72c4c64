package dev.flinkspot.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A {@link Loop} that works off its own {@link WorkQueue} of keys: it queues only while this
 * replica leads, starts the queue when it gains leadership (after queuing everything once with
 * {@link #enqueueAll()}), and stops it when leadership is lost or the loop is closed.
 *
 * @param <K> the key (namespace and name of what it reconciles)
 */
abstract class QueuedLoop<K> implements Loop {

  protected final Shared shared;
  protected final WorkQueue<K> queue;

  QueuedLoop(Shared shared, String queueName, int workers) {
    this.shared = shared;
    this.queue = new WorkQueue<>(queueName, workers, this::reconcile);
  }

  /** Reconciles one key; returns when to reconcile it again, or null for "on the next change". */
  protected abstract Duration reconcile(K key);

  /** Queues every key the caches hold (once, on gaining leadership). */
  protected abstract void enqueueAll();

  /**
   * Queues {@code key} if this replica leads; a key in backoff (its last reconcile failed) waits
   * for its scheduled retry.
   */
  protected final void enqueue(K key) {
    if (shared.leading()) {
      queue.add(key);
    }
  }

  /**
   * Queues {@code key} if this replica leads, at once even if it is in backoff: what it reconciles
   * changed (its spec, labels or policy), so the last refusal may not hold any more.
   */
  protected final void enqueueChanged(K key) {
    if (shared.leading()) {
      queue.retryNow(key);
    }
  }

  @Override
  public void gainedLeadership() {
    queue.start();
    enqueueAll();
  }

  @Override
  public void lostLeadership() {
    queue.close();
  }

  @Override
  public boolean alive() {
    return queue.alive();
  }

  @Override
  public boolean idle() {
    return queue.idle();
  }

  @Override
  public int queued() {
    return queue.depth();
  }

  @Override
  public void close() {
    queue.close();
  }

  /** One reconcile's result label (null: nothing to count) and when to run it again. */
  protected record Pass(String result, Duration again) {
    static final Pass NOTHING = new Pass(null, null);
  }

  /**
   * Runs {@code pass} timed as {@code flinkspot_reconcile{kind}} and counted as {@code
   * flinkspot_reconciles{kind,result}} when it ran to the end with a result.
   */
  protected final Duration measured(String kind, Supplier<Pass> pass) {
    var metrics = shared.metrics();
    Timer.Sample sample = Timer.start(metrics);
    Pass done = null;
    try {
      done = pass.get();
      return done.again();
    } finally {
      sample.stop(metrics.timer("flinkspot_reconcile", "kind", kind));
      if (done != null && done.result() != null) {
        Counter.builder("flinkspot_reconciles")
            .tag("kind", kind)
            .tag("result", done.result())
            .register(metrics)
            .increment();
      }
    }
  }
}
