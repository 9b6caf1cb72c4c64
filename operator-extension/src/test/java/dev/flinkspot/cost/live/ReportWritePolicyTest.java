package dev.flinkspot.cost.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportWritePolicyTest {
  private static final ReportWritePolicy POLICY =
      new ReportWritePolicy(Duration.ofMinutes(5), Duration.ofSeconds(10));
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void neverWrittenIsWrittenAtOnce() {
    assertThat(POLICY.decide(false, null, T0)).isEqualTo(decision(true, Duration.ofMinutes(5)));
  }

  @Test
  void aChangeIsWrittenAtOnceOnceTheGapHasPassed() {
    assertThat(POLICY.decide(true, T0, T0.plusSeconds(11)))
        .isEqualTo(decision(true, Duration.ofMinutes(5)));
  }

  @Test
  void aChangeWithinTheGapWaitsForTheGapNotTheInterval() {
    assertThat(POLICY.decide(true, T0, T0.plusSeconds(3)))
        .isEqualTo(decision(false, Duration.ofSeconds(7)));
  }

  @Test
  void nothingChangedWritesNothingUntilTheInterval() {
    assertThat(POLICY.decide(false, T0, T0.plusSeconds(60)))
        .isEqualTo(decision(false, Duration.ofMinutes(4)));
    assertThat(POLICY.decide(false, T0, T0.plusSeconds(3)))
        .isEqualTo(decision(false, Duration.ofSeconds(297)));
  }

  @Test
  void nothingChangedStillAdvancesTheTotalsEveryInterval() {
    assertThat(POLICY.decide(false, T0, T0.plus(Duration.ofMinutes(5))))
        .isEqualTo(decision(true, Duration.ofMinutes(5)));
  }

  @Test
  void burstOfChangesGivesAtMostOneWritePerGap() {
    Instant lastWrite = T0;
    int writes = 0;
    for (int s = 1; s <= 60; s++) { // a change every second for a minute
      var d = POLICY.decide(true, lastWrite, T0.plusSeconds(s));
      if (d.write()) {
        writes++;
        lastWrite = T0.plusSeconds(s);
      }
    }
    assertThat(writes).isEqualTo(6);
  }

  private static ReportWritePolicy.Decision decision(boolean write, Duration recheck) {
    return new ReportWritePolicy.Decision(write, recheck);
  }
}
