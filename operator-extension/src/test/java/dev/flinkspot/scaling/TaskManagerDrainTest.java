package dev.flinkspot.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The preStop TaskManagerDrain writes: its command's shape, where it goes and where it does not.
 * The script itself runs against a real JobManager in the job modules' PreStopScriptIT; here it
 * runs with /bin/sh against a closed port, where it must behave as the former fixed 5 s preStop.
 */
class TaskManagerDrainTest {
  private static final URI REST = URI.create("http://ticker-rest.flink.svc:8081");

  private static ObjectNode spec(String yaml) {
    return (ObjectNode) ScalingFixtures.deployment(yaml).get("spec");
  }

  private static JsonNode command(JsonNode spec) {
    return spec.at("/taskManager/podTemplate/spec/containers/0/lifecycle/preStop/exec/command");
  }

  @Test
  void theCommandRunsTheScriptInShWithTheRestBaseAsItsArgument() {
    List<String> c = TaskManagerDrain.preStopCommand(REST);

    assertThat(c).hasSize(5);
    assertThat(c.subList(0, 2)).containsExactly("sh", "-c");
    assertThat(c.get(2)).contains("curl -sf -m 1").contains("sleep 5").contains("sleep 20");
    assertThat(c.subList(3, 5))
        .containsExactly("flinkspot-prestop", "http://ticker-rest.flink.svc:8081");
    assertThat(TaskManagerDrain.PRE_STOP_SCRIPT)
        .contains("sleep " + TaskManagerDrain.PRE_STOP_SECONDS + " ")
        .contains("sleep " + TaskManagerDrain.PRE_STOP_MAX_SECONDS + " ");
  }

  @Test
  void addsThePreStopToABareSpecOnceAndThenNothing() {
    ObjectNode spec = spec("");

    assertThat(TaskManagerDrain.apply(spec, REST))
        .hasValue(
            "spec.taskManager.podTemplate.spec.containers[flink-main-container]"
                + ".lifecycle.preStop=flinkspot-prestop http://ticker-rest.flink.svc:8081");
    assertThat(command(spec))
        .isEqualTo(new ObjectMapper().valueToTree(TaskManagerDrain.preStopCommand(REST)));
    assertThat(spec.at("/taskManager/podTemplate/spec/containers/0/name").asText())
        .isEqualTo("flink-main-container");

    ObjectNode again = spec.deepCopy();
    assertThat(TaskManagerDrain.apply(again, URI.create("http://other-rest.x.svc:1"))).isEmpty();
    assertThat(again).as("the same spec in, the same spec out").isEqualTo(spec);
  }

  @Test
  void keepsAnyExistingPreStopIncludingTheFormerFixedOne() {
    for (String preStop :
        List.of(
            "{exec: {command: [sleep, '5']}}", "{httpGet: {port: 1}}", "{sleep: {seconds: 9}}")) {
      ObjectNode spec =
          spec(
              "taskManager: {podTemplate: {spec: {containers: [{name: flink-main-container,"
                  + " lifecycle: {preStop: "
                  + preStop
                  + "}}]}}}");
      ObjectNode before = spec.deepCopy();
      assertThat(TaskManagerDrain.apply(spec, REST)).as(preStop).isEmpty();
      assertThat(spec).as(preStop).isEqualTo(before);
    }
  }

  @Test
  void theScriptIsPosixShell() throws Exception {
    Process p =
        new ProcessBuilder("sh", "-n", "-c", TaskManagerDrain.PRE_STOP_SCRIPT)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void withoutAnAnsweringJobManagerItWaitsTheFormerFiveSeconds() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: connections are refused
    }
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(TaskManagerDrain.preStopCommand(URI.create("http://127.0.0.1:" + port)))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(p.exitValue()).isZero();
    assertThat(took).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(7));
  }
}
