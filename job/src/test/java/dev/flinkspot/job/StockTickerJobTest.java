package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.flink.harness.OutputFiles;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job on a MiniCluster, on the generator's fixed input: exactly the reference windows. */
class StockTickerJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @Test
  void highestPricePerSlidingWindowAndLateEventsCountedOnFixedInput(@TempDir Path out)
      throws Exception {
    StockTickerJob.main(
        new String[] {
          "--events", "20000",
          "--events-per-second", "0",
          "--late-every", "997",
          "--checkpoint-interval", "1s",
          "--output", out.toUri().toString()
        });

    ReferenceModel.Expected expected =
        ReferenceModel.run(
            20_000, Duration.ofSeconds(2), 997, Duration.ofSeconds(10), Duration.ofSeconds(5));
    assertThat(expected.lateEvents()).as("the input has late events").hasSizeGreaterThan(5);
    assertThat(OutputFiles.committedLines(out.resolve("max-price")))
        .containsExactlyElementsOf(expected.maxPerWindowCsv());
    assertThat(OutputFiles.committedLines(out.resolve("late-events")))
        .containsExactlyElementsOf(expected.lateEventsCsv());
  }

  @Test
  void spotCheckOfOneWindow() {
    // 10 s windows sliding by 5 s over 2000 events (20 s of event time, jitter 2 s): the window
    // [BASE, BASE+10s) holds the events whose event time falls in it, and its maximum is theirs.
    ReferenceModel.Expected expected =
        ReferenceModel.run(
            2000, Duration.ofSeconds(2), 0, Duration.ofSeconds(10), Duration.ofSeconds(5));
    long start = TickerEvents.BASE_TIME;
    long end = start + 10_000;
    for (String ticker : TickerEvents.TICKERS) {
      long max = Long.MIN_VALUE;
      long count = 0;
      for (long i = 0; i < 2000; i++) {
        StockEvent e = TickerEvents.event(i, 2000, 0);
        if (e.ticker.equals(ticker) && e.eventTime >= start && e.eventTime < end) {
          max = Math.max(max, e.priceCents);
          count++;
        }
      }
      long expectedMax = max;
      long expectedCount = count;
      assertThat(expected.maxPerWindow())
          .filteredOn(w -> w.ticker.equals(ticker) && w.windowStart == start)
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.maxPriceCents).isEqualTo(expectedMax);
                assertThat(w.events).isEqualTo(expectedCount);
              });
    }
  }
}
