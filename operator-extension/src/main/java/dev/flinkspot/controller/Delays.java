package dev.flinkspot.controller;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs actions after a delay for a {@link WorkQueue}: its retries and re-checks. In the controller
 * a daemon thread ({@link #thread}); in a test a clock the test advances, so that a backoff is
 * asserted to the millisecond without sleeping.
 */
interface Delays {

  /** Runs {@code action} after {@code delay}, unless {@link #shutdown()} comes first. */
  void schedule(Runnable action, Duration delay);

  /** Drops what is scheduled; nothing scheduled runs after this. */
  void shutdown();

  /** One daemon thread named {@code name}. */
  static Delays thread(String name) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    return new Delays() {
      @Override
      public void schedule(Runnable action, Duration delay) {
        try {
          executor.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          // shut down meanwhile (the queue closed)
        }
      }

      @Override
      public void shutdown() {
        executor.shutdownNow();
      }
    };
  }
}
