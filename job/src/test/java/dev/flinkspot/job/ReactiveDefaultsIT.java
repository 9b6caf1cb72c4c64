package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.FlinkVersion;
import dev.flinkspot.flink.harness.WorkDirs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Reactive Mode defaults flinkspot's webhook gives a FlinkDeployment of this Flink version
 * (written by operator-extension's ReactiveDefaultsExportTest, built first) on a real cluster of
 * that version: the JobManager starts with them, runs the job in Reactive Mode, and its REST {@code
 * /jobmanager/config} reports every one of them.
 */
class ReactiveDefaultsIT {

  @Test
  void theDefaultsForThisFlinkVersionTakeEffectOnARealCluster() throws Exception {
    String version = FlinkVersion.specValue();
    String why = ExportedDefaults.missing();
    if (why != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      assumeTrue(false, why);
    }
    Map<String, String> defaults = ExportedDefaults.read();
    assertThat(defaults).containsEntry("scheduler-mode", "REACTIVE");

    StockTickerRun run = new StockTickerRun(WorkDirs.create("reactive-defaults"), 1_000_000, 200);
    FlinkCluster.Builder builder = run.cluster().taskManagers(2).slotsPerTaskManager(1);
    defaults.forEach(builder::set);
    try (FlinkCluster cluster = builder.build().start()) {
      // Reactive Mode: the job runs at the parallelism of all slots (2 TaskManagers x 1 slot).
      cluster.awaitRunning(2, Duration.ofSeconds(120));
      Map<String, String> effective = new HashMap<>();
      for (JsonNode entry : cluster.rest().get("jobmanager/config")) {
        effective.put(entry.path("key").asText(), entry.path("value").asText());
      }
      assertThat(effective)
          .as("the JobManager's /jobmanager/config on Flink " + version)
          .containsAllEntriesOf(defaults);
    }
  }
}
