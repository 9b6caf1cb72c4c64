package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.deployment;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes the Flink configuration that the Reactive Mode defaults give a bare FlinkDeployment of
 * each version line to {@code target/reactive-defaults/<flinkVersion>.json}. The job modules'
 * ReactiveDefaultsIT starts a real Flink cluster of that version with it and reads the JobManager's
 * {@code /jobmanager/config} (operator-extension is built before them). Also writes the TaskManager
 * preStop command the defaults add to {@code target/reactive-defaults/taskmanager- prestop.json}:
 * the job modules run it, its REST base URL pointed at a real JobManager (PreStopScriptIT,
 * RecoveryBenchmark).
 */
class ReactiveDefaultsExportTest {

  @ParameterizedTest
  @ValueSource(strings = {"v1_20", "v2_2"})
  void writesTheDefaultsOfEachLine(String flinkVersion) throws Exception {
    ObjectNode bare = deployment("job: {jarURI: \"local:///opt/flink/usrlib/job.jar\"}");
    ((ObjectNode) bare.get("spec")).put("flinkVersion", flinkVersion);

    JsonNode conf =
        ReactiveDefaults.apply(bare, policy(TWO_TO_TEN))
            .defaulted()
            .path("spec")
            .path("flinkConfiguration");

    assertThat(conf.path("scheduler-mode").asText()).isEqualTo("REACTIVE");
    // 6 Reactive Mode keys, the checkpoint statistics cache; on 1.x the restart backoff's two keys
    assertThat(conf.size()).isEqualTo(flinkVersion.startsWith("v1") ? 9 : 7);
    Path out = Path.of("target", "reactive-defaults", flinkVersion + ".json");
    Files.createDirectories(out.getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), conf);
  }

  @Test
  void writesTheTaskManagerPreStop() throws Exception {
    ObjectNode bare = deployment("job: {jarURI: \"local:///opt/flink/usrlib/job.jar\"}");

    JsonNode command =
        ReactiveDefaults.apply(bare, policy(TWO_TO_TEN))
            .defaulted()
            .at("/spec/taskManager/podTemplate/spec/containers/0/lifecycle/preStop/exec/command");

    assertThat(command.get(0).asText()).isEqualTo("sh");
    assertThat(command.get(command.size() - 1).asText()).startsWith("http://");
    Path out = Path.of("target", "reactive-defaults", "taskmanager-prestop.json");
    Files.createDirectories(out.getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), command);
  }
}
