package dev.flinkspot.interruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One trigger per deployment per node per window: a flapping taint causes no storm. */
class NoticeWindowTest {

  private static final DeploymentRef TICKER = new DeploymentRef("a", "ticker");
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void repeatsInsideTheWindowAreDroppedAndCountAgainAfterIt() {
    var window = new NoticeWindow(Duration.ofMinutes(10), 100);
    assertThat(window.first(TICKER, "n1", T0)).isTrue();
    // The taint flaps (removed, set again) a hundred times within the window.
    for (int i = 1; i <= 100; i++) {
      assertThat(window.first(TICKER, "n1", T0.plusSeconds(i))).isFalse();
    }
    assertThat(window.first(TICKER, "n2", T0.plusSeconds(5))).isTrue();
    assertThat(window.first(new DeploymentRef("a", "other"), "n1", T0.plusSeconds(5))).isTrue();
    assertThat(window.first(new DeploymentRef("b", "ticker"), "n1", T0.plusSeconds(5))).isTrue();
    assertThat(window.first(TICKER, "n1", T0.plus(Duration.ofMinutes(10)))).isTrue();
  }

  @Test
  void aNoticeAnEarlierLeaderActedOnIsNotActedOnAgainWithinTheWindow() {
    var window = new NoticeWindow(Duration.ofMinutes(10), 100);
    window.remember(TICKER, "n1", T0);
    assertThat(window.first(TICKER, "n1", T0.plusSeconds(30))).isFalse();
    assertThat(window.first(TICKER, "n2", T0.plusSeconds(30))).isTrue();
    assertThat(window.first(TICKER, "n1", T0.plus(Duration.ofMinutes(11)))).isTrue();
  }

  @Test
  void keepsAtMostItsCapacityDroppingTheOldest() {
    var window = new NoticeWindow(Duration.ofMinutes(10), 3);
    for (int i = 0; i < 5; i++) {
      assertThat(window.first(TICKER, "n" + i, T0.plusSeconds(i))).isTrue();
    }
    assertThat(window.size()).isEqualTo(3);
    assertThat(window.first(TICKER, "n4", T0.plusSeconds(6))).isFalse();
  }

  @Test
  void refusesANonsenseWindow() {
    assertThatThrownBy(() -> new NoticeWindow(Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NoticeWindow(Duration.ofMinutes(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
