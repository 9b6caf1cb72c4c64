package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.deployment;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static dev.flinkspot.scaling.ScalingFixtures.reactiveDeployment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Reactive Mode defaults and findings for a FlinkDeployment of the Flink 2.x line. */
class FlinkTwoReactiveTest {

  private static final ScalingPolicy POLICY = policy(TWO_TO_TEN);
  private static final String STABILIZATION_1 =
      "jobmanager.adaptive-scheduler.resource-stabilization-timeout";
  private static final String STABILIZATION_2 =
      "jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout";
  private static final String COOLDOWN_1 = "jobmanager.adaptive-scheduler.scaling-interval.min";
  private static final String COOLDOWN_2 =
      "jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling";

  private static ObjectNode onTwo(ObjectNode deployment) {
    ((ObjectNode) deployment.get("spec")).put("flinkVersion", "v2_2");
    return deployment;
  }

  private static JsonNode conf(JsonNode d) {
    return d.path("spec").path("flinkConfiguration");
  }

  @Test
  void aTwoDeploymentGetsTheTwoKeys() {
    var outcome = ReactiveDefaults.apply(onTwo(deployment("")), POLICY);
    JsonNode c = conf(outcome.defaulted());

    assertThat(c.path(STABILIZATION_2).asText()).isEqualTo("10 s");
    assertThat(c.path(COOLDOWN_2).asText()).isEqualTo("60 s");
    assertThat(c.has(STABILIZATION_1)).isFalse();
    assertThat(c.has(COOLDOWN_1)).isFalse();
    assertThat(c.path("scheduler-mode").asText()).isEqualTo("REACTIVE");
    // 2.x skips the stabilization on a rescale (FLINK-36013): Flink's restart backoff stays.
    assertThat(c.has(FlinkKeys.RESTART_INITIAL_BACKOFF)).isFalse();
    assertThat(c.has(FlinkKeys.RESTART_RESET_BACKOFF_THRESHOLD)).isFalse();
    // 6 keys, the checkpoint statistics cache, spec.mode, the TaskManager's preStop
    assertThat(outcome.added()).hasSize(9);
  }

  @Test
  void aOneDeploymentKeepsTheOneKeys() {
    JsonNode c = conf(ReactiveDefaults.apply(deployment(""), POLICY).defaulted());

    assertThat(c.path(STABILIZATION_1).asText()).isEqualTo("1 s");
    assertThat(c.path(COOLDOWN_1).asText()).isEqualTo("60 s");
    assertThat(c.has(COOLDOWN_2)).isFalse();
  }

  @Test
  void aOneKeyThatTwoStillReadsIsTheUsersValueAndIsNotOverridden() {
    ObjectNode d = onTwo(deployment("flinkConfiguration: {" + COOLDOWN_1 + ": 5 min}"));
    var outcome = ReactiveDefaults.apply(d, POLICY);

    // the 2.x key would win over the 1.x fallback and silently replace the user's 5 min
    assertThat(conf(outcome.defaulted()).has(COOLDOWN_2)).isFalse();
    assertThat(conf(outcome.defaulted()).path(COOLDOWN_1).asText()).isEqualTo("5 min");
  }

  @Test
  void isIdempotentOnTwo() {
    var first = ReactiveDefaults.apply(onTwo(deployment("")), POLICY);
    assertThat(ReactiveDefaults.apply(first.defaulted(), POLICY).changed()).isFalse();
  }

  @Test
  void oneKeysOnATwoDeploymentAreFindingsNamingTheTwoKey() {
    ObjectNode d = onTwo(reactiveDeployment());
    ObjectNode c = (ObjectNode) d.path("spec").path("flinkConfiguration");
    c.put(COOLDOWN_1, "2 min");
    c.put("jobmanager.adaptive-scheduler.scaling-interval.max", "10 min");
    c.put("jobmanager.adaptive-scheduler.min-parallelism-increase", "2");

    var findings =
        ReactiveValidator.validate(d, POLICY).stream()
            .filter(f -> f.reason() == Finding.Reason.FlinkOneKeyOnFlinkTwo)
            .toList();

    assertThat(findings)
        .extracting(Finding::field)
        .containsExactlyInAnyOrder(
            "spec.flinkConfiguration." + COOLDOWN_1,
            "spec.flinkConfiguration.jobmanager.adaptive-scheduler.scaling-interval.max",
            "spec.flinkConfiguration.jobmanager.adaptive-scheduler.min-parallelism-increase");
    assertThat(findings)
        .extracting(Finding::message)
        .contains(
            COOLDOWN_1
                + " is a Flink 1.x key; Flink 2.x still reads it as a deprecated fallback of "
                + COOLDOWN_2
                + " (FLIP-472): set "
                + COOLDOWN_2
                + " instead",
            "jobmanager.adaptive-scheduler.scaling-interval.max is a Flink 1.x key; Flink 2.x no"
                + " longer uses it, so it does nothing here (FLIP-472): set"
                + " jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout"
                + " instead");
    assertThat(findings).allMatch(f -> f.severity() == Finding.Severity.Warning);
  }

  @Test
  void theSameKeysOnAOneDeploymentAreNoFinding() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("flinkConfiguration")).put(COOLDOWN_1, "2 min");

    assertThat(ReactiveValidator.validate(d, POLICY))
        .noneMatch(f -> f.reason() == Finding.Reason.FlinkOneKeyOnFlinkTwo);
  }
}
