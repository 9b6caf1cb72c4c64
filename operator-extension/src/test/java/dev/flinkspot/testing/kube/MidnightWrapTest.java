package dev.flinkspot.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubeapitest.process.ProcessReadinessChecker;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class MidnightWrapTest {

  private static final Duration MINUTE = Duration.ofSeconds(60);

  @Test
  void aStartWhoseDeadlineWouldFallAfterMidnightWaitsUntilJustPastIt() {
    assertThat(MidnightWrap.waitBefore(LocalTime.of(23, 59, 30), MINUTE))
        .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
    assertThat(MidnightWrap.waitBefore(LocalTime.of(23, 58, 55), MINUTE))
        .as("65 s to midnight: the 60 s timeout and the 5 s margin")
        .isBetween(Duration.ofSeconds(65), Duration.ofSeconds(66));
    assertThat(MidnightWrap.waitBefore(LocalTime.of(23, 58, 54), MINUTE)).isZero();
    assertThat(MidnightWrap.waitBefore(LocalTime.NOON, MINUTE)).isZero();
    assertThat(MidnightWrap.waitBefore(LocalTime.MIDNIGHT, MINUTE)).isZero();
  }

  /**
   * What {@link MidnightWrap} avoids, shown on kube-api-test itself: with the local time a few
   * minutes before midnight, a 5-minute readiness poll of a port nobody listens on gives up at once
   * instead of after 5 minutes. Fails (after 20 s) once a kube-api-test upgrade fixes it: then
   * MidnightWrap can go.
   */
  @Test
  void kubeApiTestGivesUpAtOnceWhenItsDeadlineFallsAfterMidnight() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing answers there
    }
    TimeZone saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(zoneWhereItIsNow(LocalTime.of(23, 58))));
    try {
      assertThat(LocalTime.now()).isBetween(LocalTime.of(23, 58), LocalTime.of(23, 59, 5));
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(
                      () ->
                          new ProcessReadinessChecker()
                              .waitUntilReady(port, "readyz", "Kube API Server", true, 300_000))
                  .hasMessage("Kube API Server did not start properly"));
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  /** A whole-minute UTC offset (what TimeZone keeps) at which it is now at most a minute before. */
  private static ZoneOffset zoneWhereItIsNow(LocalTime target) {
    int utcMinute = LocalTime.now(ZoneOffset.UTC).toSecondOfDay() / 60;
    int minutes = Math.floorMod(target.toSecondOfDay() / 60 - utcMinute, 24 * 60);
    return ZoneOffset.ofTotalSeconds((minutes > 18 * 60 ? minutes - 24 * 60 : minutes) * 60);
  }
}
