package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StockEventJsonTest {
  private final StockEventJson json = new StockEventJson();

  private StockEvent read(String s) throws IOException {
    return json.deserialize(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheClassicTickerRecord() throws IOException {
    assertThat(
            read("{\"ticker\":\"AMZN\",\"price\":123.45,\"event_time\":\"2024-01-02T14:30:00Z\"}"))
        .isEqualTo(new StockEvent("AMZN", 12345, 1_704_205_800_000L));
  }

  @Test
  void acceptsEpochMillis() throws IOException {
    assertThat(read("{\"ticker\":\"NVDA\",\"price\":99.999,\"event_time\":1704205800000}"))
        .isEqualTo(new StockEvent("NVDA", 10000, 1_704_205_800_000L));
  }

  @Test
  void rejectsRecordsThatAreNotTickerEvents() {
    assertThatThrownBy(() -> read("{\"price\":1.0,\"event_time\":1}"))
        .isInstanceOf(IOException.class);
  }
}
