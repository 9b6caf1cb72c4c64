package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlinkConfTest {

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "30s, 30000",
    "30 s, 30000",
    "1 min, 60000",
    "2m, 120000",
    "500, 500",
    "500 ms, 500",
    "1 h, 3600000",
    "PT20S, 20000",
    "0, 0"
  })
  void parsesDurationsAsFlinkDoes(String text, long millis) {
    assertThat(FlinkConf.parseDuration(text)).contains(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "1.5s", "-3s", "10 fortnights"})
  void refusesWhatFlinkWouldNotRead(String text) {
    assertThat(FlinkConf.parseDuration(text)).isEmpty();
  }

  @Test
  void slotsAndMaxParallelismFallBackToFlinksDefaults() {
    FlinkConf none = FlinkConf.of(deployment(""));
    assertThat(none.slots()).isEqualTo(1);
    assertThat(none.maxParallelism()).isEqualTo(128);
    assertThat(none.configuredMaxParallelism()).isEmpty();

    FlinkConf set =
        FlinkConf.of(
            deployment(
                "flinkConfiguration: {taskmanager.numberOfTaskSlots: \"4\", pipeline.max-parallelism: 360}"));
    assertThat(set.slots()).isEqualTo(4);
    assertThat(set.maxParallelism()).isEqualTo(360);

    FlinkConf bad =
        FlinkConf.of(
            deployment(
                "flinkConfiguration: {taskmanager.numberOfTaskSlots: two, pipeline.max-parallelism: \"-1\"}"));
    assertThat(bad.slots()).isEqualTo(1);
    assertThat(bad.maxParallelism()).isEqualTo(128);
  }
}
