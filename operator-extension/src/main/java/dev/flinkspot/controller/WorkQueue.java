package dev.flinkspot.controller;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A de-duplicating work queue (client-go semantics): a key queued twice is processed once, a key is
 * never processed by two workers at once, and a key added while it is processed runs again after.
 *
 * <p>A key whose handler threw (the API server refused a write, or failed) is retried with
 * exponential backoff per key, 1 s doubling to 5 min, and is <em>held</em> meanwhile: {@link #add}
 * does not run it before its retry (an informer event that changes nothing we write, such as a
 * status update by the Flink operator, would otherwise defeat the backoff). It is forgotten when
 * the handler succeeds or {@link #retryNow} says that the object changed, even during that run.
 *
 * @param <K> the key, e.g. namespace/name
 */
public final class WorkQueue<K> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final Deque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Integer> failures = new HashMap<>();

  /** Keys in backoff: their retry is scheduled; {@link #add} leaves them to it. */
  private final Set<K> held = new HashSet<>();

  /** Keys {@link #retryNow} named while a worker had them: a failure of that run is not held. */
  private final Set<K> changedWhileRunning = new HashSet<>();

  private final Function<K, Duration> handler;
  private final String name;
  private final Supplier<Delays> newDelays;

  /** Made by each start, shut down by close; null before the first start. */
  private volatile Delays delays;

  private volatile Thread[] workers;
  private volatile boolean running;

  /** Bumped by each start: workers of an earlier start (before a close) stop at their next key. */
  private volatile int generation;

  /**
   * @param handler processes a key; returns a delay after which to process it again, or null
   */
  public WorkQueue(String name, int workers, Function<K, Duration> handler) {
    this(name, workers, handler, () -> Delays.thread(name + "-delay"));
  }

  /** With {@code newDelays} making the {@link Delays} of each start (a test's clock). */
  WorkQueue(String name, int workers, Function<K, Duration> handler, Supplier<Delays> newDelays) {
    this.name = name;
    this.handler = handler;
    this.workers = new Thread[workers];
    this.newDelays = newDelays;
  }

  /** Starts the workers; after a {@link #close()} (leadership lost) it starts afresh. */
  public synchronized void start() {
    if (!running) {
      running = true;
      int gen = ++generation;
      delays = newDelays.get();
      Thread[] fresh = new Thread[workers.length];
      for (int i = 0; i < fresh.length; i++) {
        fresh[i] = new Thread(() -> work(gen), name + "-worker-" + i);
        fresh[i].setDaemon(true);
        fresh[i].start();
      }
      workers = fresh;
    }
  }

  /** Queues {@code key}, unless it is held in backoff (its retry is scheduled already). */
  public synchronized void add(K key) {
    if (!held.contains(key)) {
      queue(key);
    }
  }

  /** Queues {@code key} now, forgetting its backoff: the object changed, so try it afresh. */
  public synchronized void retryNow(K key) {
    failures.remove(key);
    held.remove(key);
    if (processing.contains(key)) {
      changedWhileRunning.add(key);
    }
    queue(key);
  }

  private void queue(K key) {
    if (dirty.contains(key)) {
      return;
    }
    dirty.add(key);
    if (!processing.contains(key)) {
      queue.addLast(key);
      notifyAll();
    }
  }

  public void addAfter(K key, Duration delay) {
    later(() -> add(key), delay);
  }

  /** Runs {@code action} after {@code delay}; nothing once closed (the leadership was lost). */
  private void later(Runnable action, Duration delay) {
    Delays current = delays;
    if (running && current != null) {
      current.schedule(action, delay);
    }
  }

  /** Keys waiting (not counting those being processed). */
  public synchronized int depth() {
    return queue.size();
  }

  /** True when nothing is queued or being processed (tests, benchmarks). */
  public synchronized boolean idle() {
    return queue.isEmpty() && processing.isEmpty();
  }

  public boolean alive() {
    for (Thread t : workers) {
      if (running && (t == null || !t.isAlive())) {
        return false;
      }
    }
    return true;
  }

  private synchronized K take() throws InterruptedException {
    while (queue.isEmpty()) {
      wait();
    }
    K key = queue.removeFirst();
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  private synchronized void done(K key) {
    processing.remove(key);
    if (held.contains(key)) {
      dirty.remove(key); // it failed: its scheduled retry runs it
    } else if (dirty.contains(key)) {
      queue.addLast(key);
      notifyAll();
    }
  }

  private void work(int gen) {
    while (running && gen == generation) {
      K key;
      try {
        key = take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Duration again = null;
      Duration retry = null;
      try {
        again = handler.apply(key);
        synchronized (this) {
          failures.remove(key);
          held.remove(key);
          changedWhileRunning.remove(key);
        }
      } catch (RuntimeException e) {
        retry = failed(key, e);
      } finally {
        done(key);
      }
      if (retry != null) {
        scheduleRetry(key, retry);
      } else if (again != null) {
        addAfter(key, again);
      }
    }
  }

  /** Holds a failed key for its backoff; none when it changed during the run (it runs next). */
  private synchronized Duration failed(K key, RuntimeException e) {
    if (changedWhileRunning.remove(key)) {
      LOG.warn("reconcile of {} failed, retrying at once (it changed): {}", key, e.toString());
      return null;
    }
    int n = failures.merge(key, 1, Integer::sum);
    held.add(key);
    Duration backoff = backoff(n); // logged in one line, no stack trace
    LOG.warn(
        "reconcile of {} failed (attempt {}), retrying in {}: {}", key, n, backoff, e.toString());
    return backoff;
  }

  /** The backoff's retry: runs the key even though it is held, unless it was retried since. */
  private void scheduleRetry(K key, Duration delay) {
    later(
        () -> {
          synchronized (this) {
            if (held.remove(key)) {
              queue(key);
            }
          }
        },
        delay);
  }

  static Duration backoff(int failures) {
    long millis = MIN_BACKOFF.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  /** Stops the workers and forgets every queued key and backoff (a new leader lists anew). */
  @Override
  public void close() {
    synchronized (this) {
      running = false;
      queue.clear();
      dirty.clear();
      held.clear();
      changedWhileRunning.clear();
      failures.clear();
    }
    if (delays != null) {
      delays.shutdown();
    }
    for (Thread t : workers) {
      if (t != null) {
        t.interrupt();
      }
    }
  }
}
