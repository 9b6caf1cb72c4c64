package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.junit.jupiter.api.Test;

class TickerSourceTest {
  @Test
  void splitsCoverTheSequenceOnceInIndexOrder() {
    List<NumberSequenceSplit> splits = TickerSource.splits(2_500);
    assertThat(splits).extracting(NumberSequenceSplit::from).containsExactly(0L, 1_000L, 2_000L);
    assertThat(splits).extracting(NumberSequenceSplit::to).containsExactly(999L, 1_999L, 2_499L);
  }

  @Test
  void eventsAreDeterministicAndOnTimeEventsStayWithinTheBound() {
    for (long i = 0; i < 10_000; i++) {
      StockEvent e = TickerEvents.event(i, 2_000, 0);
      assertThat(e).isEqualTo(TickerEvents.event(i, 2_000, 0));
      long position = TickerEvents.BASE_TIME + i * TickerEvents.STEP_MS;
      assertThat(e.eventTime).isBetween(position - 2_000, position);
    }
  }
}
