package dev.flinkspot.interruption.counts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.interruption.counts.NoticeFact.Notice;
import dev.flinkspot.interruption.counts.NoticeFact.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counting is idempotent: a fact replayed by a new leader is counted once, and none is lost. */
class InterruptionCountsTest {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00.400Z");

  @Test
  void countsNoticesBySignalAndOutcomes() {
    var counts =
        InterruptionCounts.fold(
            null,
            List.of(
                new Notice("ticker", "n1", "nth-spot-interruption", T0),
                new Notice("ticker", "n2", "karpenter-disrupted", T0.plusSeconds(3)),
                new Outcome("ticker", "n1", true, T0.plusSeconds(4)),
                new Outcome("ticker", "n2", false, T0.plusSeconds(90))),
            WINDOW);
    assertThat(counts.notices()).isEqualTo(2);
    assertThat(counts.bySignal())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("nth-spot-interruption", 1, "karpenter-disrupted", 1));
    assertThat(counts.lastNotice()).isEqualTo("2026-12-01T12:00:03Z");
    assertThat(counts.checkpointsCompleted()).isEqualTo(1);
    assertThat(counts.checkpointsFailed()).isEqualTo(1);
    assertThat(counts.recent())
        .extracting(InterruptionCounts.Recent::checkpoint)
        .containsExactly("completed", "failed");
  }

  @Test
  void aReplayedNoticeOrOutcomeCountsOnce() {
    var once =
        InterruptionCounts.fold(
            null,
            List.of(
                new Notice("ticker", "n1", "nth-spot-interruption", T0),
                new Outcome("ticker", "n1", true, T0.plusSeconds(2))),
            WINDOW);
    // A new leader reads the Events back: the same facts, timed to the second a little later.
    var replayed =
        List.<NoticeFact>of(
            new Notice("ticker", "n1", "nth-spot-interruption", T0.plusSeconds(1)),
            new Outcome("ticker", "n1", true, T0.plusSeconds(3)));
    assertThat(InterruptionCounts.fold(once, replayed, WINDOW)).isSameAs(once);
    replayed.forEach(f -> assertThat(once.covers(f, WINDOW)).isTrue());
    // A second outcome of the same notice (e.g. a late failure) counts nothing either.
    assertThat(once.covers(new Outcome("ticker", "n1", false, T0.plusSeconds(5)), WINDOW)).isTrue();
  }

  @Test
  void theSameNodeAfterTheWindowOrAnotherDeploymentIsANewNotice() {
    var first =
        InterruptionCounts.NONE.with(new Notice("ticker", "n1", "cordoned-spot-node", T0), WINDOW);
    var other = first.with(new Notice("other", "n1", "cordoned-spot-node", T0), WINDOW);
    var later =
        other.with(new Notice("ticker", "n1", "cordoned-spot-node", T0.plus(WINDOW)), WINDOW);
    assertThat(later.notices()).isEqualTo(3);
    assertThat(later.bySignal()).containsEntry("cordoned-spot-node", 3);
  }

  @Test
  void anOutcomeWithoutItsNoticeCountsNothing() {
    assertThat(InterruptionCounts.fold(null, List.of(new Outcome("t", "n1", true, T0)), WINDOW))
        .isNull();
    assertThat(InterruptionCounts.NONE.covers(new Outcome("t", "n1", true, T0), WINDOW)).isTrue();
    assertThat(InterruptionCounts.NONE.covers(new Notice("t", "n1", "s", T0), WINDOW)).isFalse();
  }

  @Test
  void recentKeepsTwoWindowsAndAtMostAHundredNotices() {
    InterruptionCounts counts = InterruptionCounts.NONE;
    for (int i = 0; i < 250; i++) {
      counts = counts.with(new Notice("d" + i, "n", "s", T0.plusSeconds(i)), WINDOW);
    }
    assertThat(counts.notices()).isEqualTo(250);
    assertThat(counts.recent()).hasSize(InterruptionCounts.MAX_RECENT);
    assertThat(counts.recent().get(0).deployment()).isEqualTo("d150");
    // Older than every kept notice of a full list: taken as counted, never counted twice.
    assertThat(counts.covers(new Notice("d3", "n", "s", T0.plusSeconds(3)), WINDOW)).isTrue();
    // Two windows later, only the newest notice is kept.
    var much = counts.with(new Notice("late", "n", "s", T0.plus(WINDOW.multipliedBy(3))), WINDOW);
    assertThat(much.recent())
        .extracting(InterruptionCounts.Recent::deployment)
        .containsExactly("late");
    assertThat(much.notices()).isEqualTo(251);
  }

  @Test
  void roundTripsThroughJsonAsTheApiServerStoresIt() throws Exception {
    var counts =
        InterruptionCounts.fold(
            null,
            List.of(
                new Notice(null, "n1", "nth-spot-interruption", T0),
                new Outcome(null, "n1", true, T0.plusSeconds(4))),
            WINDOW);
    var json = new ObjectMapper();
    String text = json.writeValueAsString(counts);
    assertThat(text).doesNotContain("deployment").contains("\"checkpoint\":\"completed\"");
    assertThat(json.readValue(text, InterruptionCounts.class)).isEqualTo(counts);
  }
}
