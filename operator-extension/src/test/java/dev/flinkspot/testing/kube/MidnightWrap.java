package dev.flinkspot.testing.kube;

import java.time.Duration;
import java.time.LocalTime;

/**
 * Keeps a control-plane start clear of a bug of kube-api-test 7.5.2: its readiness poll ({@code
 * ProcessReadinessChecker.pollWithTimeout}, fabric8io/kubernetes-client
 * junit/kube-api-test/core/src/main/java/io/fabric8/kubeapitest/process/) measures the startup
 * timeout with {@link LocalTime}, which wraps at midnight: when {@code start + timeout} falls after
 * local midnight, {@code now.isAfter(start.plus(timeout))} holds at once, and the first probe the
 * API server does not answer yet (it never does, a few ms after its launch) ends the start with
 * "Kube API Server did not start properly", in milliseconds: each test of an IT class started in
 * the minute before midnight fails so, in a few hundredths of a second. {@code MidnightWrapTest}
 * shows the library doing it.
 */
final class MidnightWrap {

  /** Slack for the start's own steps before and between its polls. */
  static final Duration MARGIN = Duration.ofSeconds(5);

  private MidnightWrap() {}

  /**
   * How long to wait at {@code now} so that a start with {@code timeout} cannot have its deadline
   * after midnight: zero, or until just past midnight.
   */
  static Duration waitBefore(LocalTime now, Duration timeout) {
    Duration toMidnight = Duration.ofNanos(LocalTime.MAX.toNanoOfDay() - now.toNanoOfDay() + 1);
    return toMidnight.compareTo(timeout.plus(MARGIN)) <= 0
        ? toMidnight.plusMillis(100)
        : Duration.ZERO;
  }

  /** Sleeps {@link #waitBefore} from the local time now, saying so. */
  static void sleepIfNearMidnight(Duration timeout) {
    Duration wait = waitBefore(LocalTime.now(), timeout);
    if (wait.isZero()) {
      return;
    }
    System.err.println(
        "[kube] waiting "
            + wait.toMillis()
            + " ms for midnight: kube-api-test's readiness timeout wraps at midnight (MidnightWrap)");
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for midnight", e);
    }
  }
}
