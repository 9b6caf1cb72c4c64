package dev.flinkspot.flink;

import static dev.flinkspot.policy.PolicyFixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlinkConfigurationTest {

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
    assertThat(FlinkConfiguration.parseDuration(text)).contains(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "1.5s", "-3s", "10 fortnights"})
  void refusesWhatFlinkWouldNotRead(String text) {
    assertThat(FlinkConfiguration.parseDuration(text)).isEmpty();
  }

  @Test
  void slotsAndMaxParallelismFallBackToFlinksDefaults() {
    FlinkConfiguration none = FlinkConfiguration.of(deployment(""));
    assertThat(none.slots()).isEqualTo(1);
    assertThat(none.maxParallelism()).isEqualTo(128);
    assertThat(none.configuredMaxParallelism()).isEmpty();

    FlinkConfiguration set =
        FlinkConfiguration.of(
            deployment(
                "flinkConfiguration: {taskmanager.numberOfTaskSlots: \"4\", pipeline.max-parallelism: 360}"));
    assertThat(set.slots()).isEqualTo(4);
    assertThat(set.maxParallelism()).isEqualTo(360);

    FlinkConfiguration bad =
        FlinkConfiguration.of(
            deployment(
                "flinkConfiguration: {taskmanager.numberOfTaskSlots: two, pipeline.max-parallelism: \"-1\"}"));
    assertThat(bad.slots()).isEqualTo(1);
    assertThat(bad.maxParallelism()).isEqualTo(128);
  }

  @Test
  void reactiveOnlyInStandaloneMode() {
    assertThat(
            FlinkConfiguration.of(
                    deployment("mode: standalone\nflinkConfiguration: {scheduler-mode: REACTIVE}"))
                .reactive())
        .isTrue();
    assertThat(
            FlinkConfiguration.of(deployment("flinkConfiguration: {scheduler-mode: reactive}"))
                .reactive())
        .isFalse();
    assertThat(FlinkConfiguration.of(deployment("mode: standalone")).reactive()).isFalse();
  }

  @Test
  void theTypedAndTheRawFormReadTheSame() {
    var raw =
        FlinkConfiguration.of(
            deployment(
                "mode: standalone\njob: {parallelism: 6}\nflinkConfiguration: {scheduler-mode: reactive, taskmanager.numberOfTaskSlots: \"3\", pipeline.max-parallelism: \"24\"}"));
    var typed =
        FlinkConfiguration.of(
            Map.of(
                "scheduler-mode", "reactive",
                "taskmanager.numberOfTaskSlots", "3",
                "pipeline.max-parallelism", "24"),
            "STANDALONE",
            6);
    for (var c : java.util.List.of(raw, typed)) {
      assertThat(c.reactive()).isTrue();
      assertThat(c.slots()).isEqualTo(3);
      assertThat(c.maxParallelism()).isEqualTo(24);
      assertThat(c.jobParallelism()).hasValue(6);
    }
  }

  @Test
  void unreadableNamesTheBadTextOnly() {
    var c =
        FlinkConfiguration.of(
            Map.of("taskmanager.numberOfTaskSlots", "two", "pipeline.max-parallelism", "12"),
            null,
            null);
    assertThat(c.unreadable(FlinkConfiguration.TASK_SLOTS)).contains("two");
    assertThat(c.unreadable(FlinkConfiguration.MAX_PARALLELISM)).isEmpty();
    assertThat(c.unreadable("unset.key")).isEmpty();
    assertThat(c.jobParallelism()).isEmpty();
  }
}
