package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.deployment;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.flink.FlinkConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReactiveDefaultsTest {

  private static final ScalingPolicy POLICY = policy(TWO_TO_TEN);

  private static JsonNode conf(JsonNode d) {
    return d.path("spec").path("flinkConfiguration");
  }

  /** The TaskManager main container's preStop command, as JSON ("" when none). */
  private static String preStop(JsonNode d) {
    for (JsonNode c :
        d.path("spec").path("taskManager").path("podTemplate").path("spec").path("containers")) {
      if (c.path("name").asText().equals("flink-main-container")) {
        JsonNode command = c.path("lifecycle").path("preStop").path("exec").path("command");
        return command.isMissingNode() ? "" : command.toString();
      }
    }
    return "";
  }

  /** The preStop added to the fixtures' {@code ticker} in namespace {@code flink}, as JSON. */
  private static String tickerPreStop(int restPort) {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .valueToTree(
            TaskManagerDrain.preStopCommand(
                java.net.URI.create("http://ticker-rest.flink.svc:" + restPort)))
        .toString();
  }

  @Test
  void addsEveryDefaultToADeploymentThatSetsNothing() {
    var outcome = ReactiveDefaults.apply(deployment(""), POLICY);

    assertThat(outcome.changed()).isTrue();
    JsonNode d = outcome.defaulted();
    assertThat(d.path("spec").path("mode").asText()).isEqualTo("standalone");
    assertThat(conf(d).path("scheduler-mode").asText()).isEqualTo("REACTIVE");
    assertThat(conf(d).path("restart-strategy.type").asText()).isEqualTo("exponential-delay");
    assertThat(conf(d).path("restart-strategy.exponential-delay.initial-backoff").asText())
        .isEqualTo("10 s");
    assertThat(conf(d).path("restart-strategy.exponential-delay.reset-backoff-threshold").asText())
        .isEqualTo("5 min");
    assertThat(
            conf(d).path("jobmanager.adaptive-scheduler.resource-stabilization-timeout").asText())
        .isEqualTo("1 s");
    assertThat(conf(d).path("jobmanager.adaptive-scheduler.scaling-interval.min").asText())
        .isEqualTo("60 s");
    assertThat(conf(d).path("heartbeat.interval").asText()).isEqualTo("3000");
    assertThat(conf(d).path("heartbeat.timeout").asText()).isEqualTo("15000");
    assertThat(conf(d).path("rest.cache.checkpoint-statistics.timeout").asText())
        .isEqualTo("500 ms");
    assertThat(preStop(d)).isEqualTo(tickerPreStop(8081));
    assertThat(outcome.added())
        .contains(
            "spec.mode=standalone",
            "spec.flinkConfiguration.scheduler-mode=REACTIVE",
            "spec.taskManager.podTemplate.spec.containers[flink-main-container]"
                + ".lifecycle.preStop=flinkspot-prestop http://ticker-rest.flink.svc:8081");
    assertThat(outcome.added()).hasSize(11);
  }

  @Test
  void onFlinkOneTheFailuresWaitIsAsLongAsBeforeAndARescalesTenTimesShorter() {
    FlinkConfiguration conf =
        FlinkConfiguration.of(ReactiveDefaults.apply(deployment(""), POLICY).defaulted());
    Duration rescale = conf.duration(FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT).orElseThrow();
    Duration backoff = conf.duration(FlinkKeys.RESTART_INITIAL_BACKOFF).orElseThrow();

    // Before: Flink's 1 s first backoff and a 10 s stabilization, 11 s before a failed job runs
    // again; the warm spare's replacement has about as long, even with the backoff's -10% jitter.
    assertThat(backoff.multipliedBy(9).dividedBy(10).plus(rescale))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(rescale.multipliedBy(10)).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(conf.duration(FlinkKeys.RESTART_RESET_BACKOFF_THRESHOLD).orElseThrow())
        .as("a reclaim a few minutes after the last one waits the first backoff again")
        .isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          restart-strategy.type                                        | exponential-delay
          restart-strategy                                             | fixed-delay
          restart-strategy.exponential-delay.initial-backoff           | 1 s
          restart-strategy.fixed-delay.delay                           | 5 s
          jobmanager.adaptive-scheduler.resource-stabilization-timeout | 20 s
          """)
  void keepsTheTenSecondStabilizationAndFlinksBackoffWhenTheUserSetEither(
      String key, String value) {
    ObjectNode input = deployment("");
    ((ObjectNode) input.get("spec")).putObject("flinkConfiguration").put(key, value);

    JsonNode c = conf(ReactiveDefaults.apply(input, POLICY).defaulted());

    assertThat(c.has("restart-strategy.exponential-delay.reset-backoff-threshold")).isFalse();
    assertThat(c.path(key).asText()).isEqualTo(value);
    if (!key.equals("restart-strategy.exponential-delay.initial-backoff")) {
      assertThat(c.has("restart-strategy.exponential-delay.initial-backoff")).isFalse();
    }
    if (!key.equals(FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT)) {
      assertThat(c.path(FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT).asText()).isEqualTo("10 s");
    }
  }

  @Test
  void theDefaultsParseAsFlinkParsesThem() {
    JsonNode d = ReactiveDefaults.apply(deployment(""), POLICY).defaulted();
    FlinkConfiguration conf = FlinkConfiguration.of(d);

    assertThat(conf.duration(FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT))
        .hasValueSatisfying(t -> assertThat(t.toSeconds()).isEqualTo(1));
    assertThat(conf.duration(FlinkKeys.RESTART_INITIAL_BACKOFF))
        .hasValueSatisfying(t -> assertThat(t.toSeconds()).isEqualTo(10));
    assertThat(conf.duration(FlinkKeys.RESTART_RESET_BACKOFF_THRESHOLD))
        .hasValueSatisfying(t -> assertThat(t.toMinutes()).isEqualTo(5));
    assertThat(conf.duration(FlinkKeys.HEARTBEAT_TIMEOUT).orElseThrow())
        .as("a lost TaskManager is noticed in seconds, not 50 s")
        .isLessThan(java.time.Duration.ofSeconds(50))
        .isGreaterThan(conf.duration(FlinkKeys.HEARTBEAT_INTERVAL).orElseThrow());
  }

  @Test
  void isIdempotent() {
    var first = ReactiveDefaults.apply(deployment("job: {parallelism: 4}"), POLICY);
    var second = ReactiveDefaults.apply(first.defaulted(), POLICY);

    assertThat(second.changed()).isFalse();
    assertThat(second.added()).isEmpty();
    assertThat(second.defaulted()).isEqualTo(first.defaulted());
  }

  @Test
  void neverMutatesItsInput() {
    ObjectNode input = deployment("");
    ObjectNode copy = input.deepCopy();

    ReactiveDefaults.apply(input, POLICY);

    assertThat(input).isEqualTo(copy);
  }

  @Test
  void changesNothingWhenScalingIsOff() {
    ObjectNode input = deployment("");
    var outcome = ReactiveDefaults.apply(input, ScalingPolicy.DISABLED);

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.defaulted()).isSameAs(input);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          scheduler-mode                                               | ADAPTIVE
          restart-strategy.type                                        | fixed-delay
          restart-strategy                                             | failure-rate
          jobmanager.adaptive-scheduler.resource-stabilization-timeout | 0 ms
          jobmanager.adaptive-scheduler.scaling-interval.min           | 5 min
          heartbeat.interval                                           | 10000
          heartbeat.timeout                                            | 50000
          """)
  void neverOverwritesAUserValue(String key, String value) {
    ObjectNode input = deployment("");
    ((ObjectNode) input.get("spec")).putObject("flinkConfiguration").put(key, value);

    JsonNode d = ReactiveDefaults.apply(input, POLICY).defaulted();

    assertThat(conf(d).path(key).asText()).isEqualTo(value);
  }

  @Test
  void keepsTheUsersMode() {
    JsonNode d = ReactiveDefaults.apply(deployment("mode: native"), POLICY).defaulted();
    assertThat(d.path("spec").path("mode").asText()).isEqualTo("native");
  }

  @Test
  void leavesTheRestartStrategyToAUserWhoSetTheLegacyKey() {
    JsonNode d =
        ReactiveDefaults.apply(
                deployment("flinkConfiguration: {restart-strategy: fixed-delay}"), POLICY)
            .defaulted();
    assertThat(conf(d).has("restart-strategy.type")).isFalse();
  }

  @Test
  void leavesHeartbeatsAloneWhenTheUserSetOneOfThem() {
    // Flink refuses a timeout below the interval: adding our 15 s next to a 20 s interval would.
    JsonNode d =
        ReactiveDefaults.apply(
                deployment("flinkConfiguration: {heartbeat.interval: \"20000\"}"), POLICY)
            .defaulted();
    assertThat(conf(d).has("heartbeat.timeout")).isFalse();
    assertThat(conf(d).path("heartbeat.interval").asText()).isEqualTo("20000");
  }

  @Test
  void addsNoMinimumScalingIntervalThatTheUsersMaximumWouldContradict() {
    // Flink fails at start when scaling-interval.max is not above .min.
    JsonNode low =
        ReactiveDefaults.apply(
                deployment(
                    "flinkConfiguration: {jobmanager.adaptive-scheduler.scaling-interval.max: 45s}"),
                POLICY)
            .defaulted();
    assertThat(conf(low).has("jobmanager.adaptive-scheduler.scaling-interval.min")).isFalse();

    JsonNode high =
        ReactiveDefaults.apply(
                deployment(
                    "flinkConfiguration: {jobmanager.adaptive-scheduler.scaling-interval.max: 10 min}"),
                POLICY)
            .defaulted();
    assertThat(conf(high).path("jobmanager.adaptive-scheduler.scaling-interval.min").asText())
        .isEqualTo("60 s");
  }

  @Test
  void treatsNullAndBlankAsUnset() {
    ObjectNode input = deployment("");
    ObjectNode spec = (ObjectNode) input.get("spec");
    spec.putNull("mode");
    spec.putObject("flinkConfiguration").put("scheduler-mode", " ").putNull("heartbeat.timeout");

    JsonNode d = ReactiveDefaults.apply(input, POLICY).defaulted();

    assertThat(d.path("spec").path("mode").asText()).isEqualTo("standalone");
    assertThat(conf(d).path("scheduler-mode").asText()).isEqualTo("REACTIVE");
    assertThat(conf(d).path("heartbeat.timeout").asText()).isEqualTo("15000");
  }

  @Test
  void neverDefaultsMaxParallelismNorCheckpointing() {
    JsonNode d = ReactiveDefaults.apply(deployment(""), POLICY).defaulted();
    assertThat(conf(d).has(FlinkKeys.MAX_PARALLELISM)).isFalse();
    assertThat(conf(d).has(FlinkKeys.CHECKPOINTING_INTERVAL)).isFalse();
  }

  @Test
  void leavesEveryOtherFieldAsItWas() {
    ObjectNode input =
        deployment(
            """
            podTemplate: {metadata: {annotations: {a: b}}}
            flinkConfiguration: {state.backend.type: rocksdb}
            somethingNew: {x: 1}
            """);
    var outcome = ReactiveDefaults.apply(input, POLICY);

    ObjectNode stripped = outcome.defaulted().deepCopy();
    ObjectNode conf = (ObjectNode) stripped.get("spec").get("flinkConfiguration");
    outcome.added().stream()
        .filter(a -> a.startsWith("spec.flinkConfiguration."))
        .map(a -> a.substring("spec.flinkConfiguration.".length(), a.indexOf('=')))
        .forEach(conf::remove);
    ((ObjectNode) stripped.get("spec")).remove("mode");
    ((ObjectNode) stripped.get("spec").get("taskManager")).remove("podTemplate");
    assertThat(stripped).isEqualTo(input);
  }

  @Test
  void givesTheTaskManagerAPreStopThatWaitsForTheCheckpointOnANotice() {
    JsonNode d =
        ReactiveDefaults.apply(deployment("taskManager: {replicas: 2}"), POLICY).defaulted();

    assertThat(preStop(d)).isEqualTo(tickerPreStop(8081));
    assertThat(d.path("spec").path("taskManager").path("replicas").asInt()).isEqualTo(2);
    assertThat(d.path("spec").path("podTemplate").isMissingNode())
        .as("the JobManager is not drained by a Spot reclaim: only the TaskManager template")
        .isTrue();
  }

  @Test
  void addsThePreStopToTheUsersMainContainerAndKeepsTheRest() {
    JsonNode d =
        ReactiveDefaults.apply(
                deployment(
                    """
                    taskManager:
                      podTemplate:
                        spec:
                          containers:
                          - name: flink-main-container
                            env: [{name: A, value: b}]
                            lifecycle: {postStart: {exec: {command: [echo]}}}
                          - name: sidecar
                    """),
                POLICY)
            .defaulted();

    JsonNode containers =
        d.path("spec").path("taskManager").path("podTemplate").path("spec").path("containers");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).path("env").get(0).path("value").asText()).isEqualTo("b");
    assertThat(containers.get(0).path("lifecycle").has("postStart")).isTrue();
    assertThat(preStop(d)).isEqualTo(tickerPreStop(8081));
    assertThat(containers.get(1).has("lifecycle")).isFalse();
  }

  @Test
  void keepsTheUsersPreStopWhereverItIs() {
    String own =
        "containers: [{name: flink-main-container, lifecycle: {preStop: {httpGet: {port: 1}}}}]";
    for (String yaml :
        List.of(
            "taskManager: {podTemplate: {spec: {" + own + "}}}",
            "podTemplate: {spec: {" + own + "}}")) {
      var outcome = ReactiveDefaults.apply(deployment(yaml), POLICY);
      assertThat(outcome.added()).noneMatch(a -> a.contains("preStop"));
      assertThat(outcome.defaulted().path("spec").path("taskManager").path("podTemplate"))
          .isEqualTo(deployment(yaml).path("spec").path("taskManager").path("podTemplate"));
    }
  }

  @Test
  void addsNoContainerWhereTheOperatorWouldMergeItWithAnotherByPosition() {
    // spec.podTemplate's containers and the TaskManager's are merged by index (unless
    // merge-arrays-by-name is on): an entry of ours at index 0 would land on the sidecar.
    var outcome =
        ReactiveDefaults.apply(
            deployment("podTemplate: {spec: {containers: [{name: sidecar}]}}"), POLICY);

    assertThat(outcome.added()).noneMatch(a -> a.contains("preStop"));
    assertThat(outcome.defaulted().path("spec").path("taskManager").has("podTemplate")).isFalse();
  }

  @Test
  void thePreStopCallsTheDeploymentsRestPort() {
    JsonNode d =
        ReactiveDefaults.apply(deployment("flinkConfiguration: {rest.port: '9091'}"), POLICY)
            .defaulted();

    assertThat(preStop(d)).isEqualTo(tickerPreStop(9091));
  }

  @Test
  void leavesTheFormerFixedPreStopAsItIs() {
    // What flinkspot added before the script: kept, like any preStop, so an update that rescales
    // does not become a pod template change (a restart). No cache default comes with it.
    String former =
        "taskManager: {podTemplate: {spec: {containers: [{name: flink-main-container,"
            + " lifecycle: {preStop: {exec: {command: [sleep, '5']}}}}]}}}";
    var outcome = ReactiveDefaults.apply(deployment(former), POLICY);

    assertThat(preStop(outcome.defaulted())).isEqualTo("[\"sleep\",\"5\"]");
    assertThat(outcome.added()).noneMatch(a -> a.contains("preStop") || a.contains("rest.cache"));
    assertThat(ReactiveDefaults.apply(outcome.defaulted(), POLICY).changed()).isFalse();
  }

  @Test
  void keepsTheUsersOwnRefreshOfCheckpointStatistics() {
    for (String key : List.of("web.refresh-interval", "rest.cache.checkpoint-statistics.timeout")) {
      JsonNode d =
          ReactiveDefaults.apply(deployment("flinkConfiguration: {" + key + ": 5 s}"), POLICY)
              .defaulted();
      assertThat(conf(d).path(key).asText()).isEqualTo("5 s");
      assertThat(conf(d).size()).as(key).isEqualTo(9); // the user's, and 8 defaults
    }
  }
}
