package dev.flinkspot.flink.harness;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the harness's only way to wait. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(100);

  private Await() {}

  /**
   * Polls {@code probe} until it returns a present value, and returns it; throws {@link
   * AssertionError} naming {@code what} when {@code timeout} passes first. Exceptions thrown by the
   * probe (e.g. the REST endpoint not up yet) count as "not yet".
   */
  public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        Optional<T> value = probe.get();
        if (value.isPresent()) {
          return value.get();
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError error =
            new AssertionError("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
          error.initCause(last);
        }
        throw error;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Like {@link #until(String, Duration, Supplier)} for a yes/no condition. */
  public static void untilTrue(String what, Duration timeout, Supplier<Boolean> condition) {
    until(what, timeout, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }
}
