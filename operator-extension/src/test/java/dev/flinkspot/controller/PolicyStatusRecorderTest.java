package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.policy.FlinkSpotPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStatusRecorderTest {

  private static Condition ready(String status, String time) {
    return new ConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason("Valid")
        .withMessage("m")
        .withLastTransitionTime(time)
        .build();
  }

  @Test
  void unchangedConditionKeepsItsTransitionTimeSoTheStatusComparesEqual() {
    var current =
        new FlinkSpotPolicyStatus(1L, List.of(ready("True", "2026-01-01T00:00:00Z")), List.of("a"));
    var desired =
        new FlinkSpotPolicyStatus(1L, List.of(ready("True", "2026-06-01T00:00:00Z")), List.of("a"));

    assertThat(PolicyStatusRecorder.keepTransitionTimes(current, desired)).isEqualTo(current);
  }

  @Test
  void flippedConditionTakesTheNewTransitionTime() {
    var current =
        new FlinkSpotPolicyStatus(1L, List.of(ready("True", "2026-01-01T00:00:00Z")), List.of());
    var desired =
        new FlinkSpotPolicyStatus(2L, List.of(ready("False", "2026-06-01T00:00:00Z")), List.of());

    var merged = PolicyStatusRecorder.keepTransitionTimes(current, desired);

    assertThat(merged.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-06-01T00:00:00Z");
    assertThat(merged).isNotEqualTo(current);
  }
}
