package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The backoff rule of issue 15 item 2, on the queue alone. */
class WorkQueueTest {

  /**
   * On a clock the test advances ({@link ManualDelays}): no sleep, so a slow machine cannot run the
   * backoff's retry early in the test's eyes, and the backoff is asserted to the millisecond. The
   * waits below are for the worker thread only (Awaitility), never for the backoff.
   */
  @Test
  void aFailedKeyIsHeldAgainstAddsUntilItsBackoffOrAChange() {
    AtomicInteger calls = new AtomicInteger();
    var clock = new ManualDelays();
    try (var queue =
        new WorkQueue<String>(
            "test",
            1,
            key -> {
              calls.incrementAndGet();
              throw new IllegalStateException("refused");
            },
            () -> clock)) {
      queue.start();
      queue.add("a");
      // Handled: it failed, and its retry is scheduled (after the worker let go of it).
      untilWorkerDid(() -> calls.get() == 1 && clock.pending() == 1);
      // Informer events that change nothing: held until the 1 s backoff, not a millisecond less.
      for (int i = 0; i < 5; i++) {
        queue.add("a");
      }
      clock.advance(Duration.ofMillis(999));
      assertThat(queue.idle()).as("nothing queued or running").isTrue();
      assertThat(calls.get()).isEqualTo(1);
      // The backoff's own retry runs it at 1 s; it fails again and is held for 2 s.
      clock.advance(Duration.ofMillis(1));
      untilWorkerDid(() -> calls.get() == 2 && clock.pending() == 1);
      // A change retries at once: the clock stands still, so not the backoff's retry.
      queue.retryNow("a");
      untilWorkerDid(() -> calls.get() == 3);
    }
  }

  @Test
  void aChangeWhileTheHandlerRunsIsRetriedAtOnceEvenIfThatRunFails() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    var inFirstRun = new java.util.concurrent.CountDownLatch(1);
    var changed = new java.util.concurrent.CountDownLatch(1);
    var clock = new ManualDelays();
    try (var queue =
        new WorkQueue<String>(
            "test",
            1,
            key -> {
              if (calls.incrementAndGet() == 1) {
                inFirstRun.countDown();
                try {
                  changed.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                // It read the object before the change, and failed on it.
                throw new IllegalStateException("refused");
              }
              return null;
            },
            () -> clock)) {
      queue.start();
      queue.add("a");
      inFirstRun.await();
      queue.retryNow("a"); // the object changed while the failing run had it
      changed.countDown();
      // The clock stands still: the second run is the change's, not the 1 s backoff's.
      untilWorkerDid(() -> calls.get() == 2 && queue.idle());
      assertThat(clock.pending()).as("no backoff retry left scheduled to run").isZero();
    }
  }

  /** Waits for the worker thread; generous, as it asserts no timing. */
  private static void untilWorkerDid(java.util.concurrent.Callable<Boolean> done) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(done);
  }

  @Test
  void aClosedQueueStartsAfreshOnTheNextLeadership() {
    AtomicInteger calls = new AtomicInteger();
    var queue =
        new WorkQueue<String>(
            "test",
            2,
            key -> {
              calls.incrementAndGet();
              return null;
            });
    queue.start();
    queue.add("a");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
    queue.close();
    queue.start();
    queue.add("b");
    queue.addAfter("c", Duration.ofMillis(10));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 3);
    assertThat(queue.alive()).isTrue();
    queue.close();
  }

  @Test
  void backoffDoublesFromOneSecondToFiveMinutes() {
    assertThat(WorkQueue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(WorkQueue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(WorkQueue.backoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(WorkQueue.backoff(30)).isEqualTo(Duration.ofMinutes(5));
  }

  /** A clock the test advances: what comes due runs on the test's thread, in order. */
  static final class ManualDelays implements Delays {

    private record Scheduled(Duration due, Runnable action) {}

    private final List<Scheduled> scheduled = new ArrayList<>();
    private Duration now = Duration.ZERO;

    @Override
    public synchronized void schedule(Runnable action, Duration delay) {
      scheduled.add(new Scheduled(now.plus(delay), action));
    }

    @Override
    public synchronized void shutdown() {
      scheduled.clear();
    }

    synchronized int pending() {
      return scheduled.size();
    }

    void advance(Duration step) {
      List<Scheduled> due;
      synchronized (this) {
        now = now.plus(step);
        due =
            scheduled.stream()
                .filter(s -> s.due().compareTo(now) <= 0)
                .sorted(Comparator.comparing(Scheduled::due))
                .toList();
        scheduled.removeAll(due);
      }
      due.forEach(s -> s.action().run());
    }
  }
}
