package dev.flinkspot.policy;

import static dev.flinkspot.policy.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyValidatorTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "capacityLabels: {scheme: Custom} | capacityLabels.key is required with scheme Custom",
        "capacityLabels: {scheme: Custom, key: k, onDemandValues: [a], spotValues: [a]} | are both On-Demand and Spot",
        "capacityLabels: {scheme: Custom, key: k, spotValues: [a]} | onDemandValues must name at least one value",
        "capacityLabels: {scheme: Karpenter, key: k} | only allowed with scheme Custom",
        "taskManager: {tolerations: [{value: x, effect: NoSchedule}]} | taskManager.tolerations[0] has no key, so its operator must be Exists",
        "jobManager: {tolerations: [{key: k, operator: Exists, value: v}]} | must not have a value",
        "jobManager: {tolerations: [{key: k, operator: Maybe}]} | operator must be Exists or Equal",
        "jobManager: {tolerations: [{key: k, effect: NoSchedule, tolerationSeconds: 5}]} | tolerationSeconds is only allowed with effect NoExecute",
        "taskManager: {nodeSelector: {eks.amazonaws.com/capacityType: SPOT}} | must not name the capacity label",
        "taskManager: {spread: {maxSkew: 0}} | maxSkew must be at least 1",
        "taskManager: {spread: {whenUnsatisfiable: Sometimes}} | whenUnsatisfiable must be",
        "taskManager: {spread: {topologyKeys: [a, a]} } | must not repeat a key",
      })
  void rejectsWithAMessageNamingTheField(String yaml, String message) {
    var result = PlacementPolicy.from("p", spec(yaml));

    assertThat(result.valid()).isFalse();
    assertThat(result.invalidMessage()).contains(message);
  }

  @Test
  void emptySpecIsValidWithDefaults() {
    var policy = PlacementPolicy.from("p", null).policy();

    assertThat(policy.capacityKey()).isEqualTo("eks.amazonaws.com/capacityType");
    assertThat(policy.taskManager().spot()).isEqualTo(SpotMode.Required);
    assertThat(policy.taskManager().spread().topologyKeys())
        .containsExactly("topology.kubernetes.io/zone", "node.kubernetes.io/instance-type");
    assertThat(policy.jobManager().doNotDisrupt()).isTrue();
    assertThat(policy.repairExisting()).isFalse();
  }

  @Test
  void tolerationWithoutKeyButOperatorExistsIsValid() {
    assertThat(
            PlacementPolicy.from("p", spec("taskManager: {tolerations: [{operator: Exists}]}"))
                .valid())
        .isTrue();
  }

  @Test
  void severalProblemsAreReportedTogether() {
    var result =
        PlacementPolicy.from(
            "p", spec("capacityLabels: {scheme: Custom}\ntaskManager: {spread: {maxSkew: 0}}"));

    assertThat(result.invalidMessage()).contains("key is required").contains("maxSkew");
  }
}
