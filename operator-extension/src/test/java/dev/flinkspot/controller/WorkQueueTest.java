package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The backoff rule of issue 15 item 2, on the queue alone. */
class WorkQueueTest {

  @Test
  void aFailedKeyIsHeldAgainstAddsUntilItsBackoffOrAChange() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (var queue =
        new WorkQueue<String>(
            "test",
            1,
            key -> {
              calls.incrementAndGet();
              throw new IllegalStateException("refused");
            })) {
      queue.start();
      queue.add("a");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
      // Informer events that change nothing: held until the 1 s backoff.
      for (int i = 0; i < 5; i++) {
        queue.add("a");
        Thread.sleep(100);
      }
      assertThat(calls.get()).isEqualTo(1);
      // The backoff's own retry runs it.
      Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> calls.get() == 2);
      // Now in a 2 s backoff; a change retries at once.
      queue.retryNow("a");
      Awaitility.await().atMost(Duration.ofMillis(500)).until(() -> calls.get() == 3);
    }
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
}
