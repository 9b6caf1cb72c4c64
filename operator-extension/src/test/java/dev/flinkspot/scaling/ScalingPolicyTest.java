package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.YAML;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static dev.flinkspot.scaling.ScalingFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flinkspot.scaling.ScalingPolicy.ScaleRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPolicyTest {

  /** How FlinkSpotPolicySpec will embed the section: a field {@code scaling}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Embedding(Boolean namespaceDefault, ScalingSpec scaling) {}

  @Test
  void noSectionMeansScalingOff() {
    var result = ScalingPolicy.from(null);
    assertThat(result.valid()).isTrue();
    assertThat(result.policy()).isEqualTo(ScalingPolicy.DISABLED);
    assertThat(result.policy().enabled()).isFalse();
  }

  @Test
  void aSectionWithBoundsIsEnabledWithEveryDefault() {
    ScalingPolicy p = policy("maxTaskManagers: 8");

    assertThat(p.enabled()).isTrue();
    assertThat(p.minTaskManagers()).isEqualTo(1);
    assertThat(p.maxTaskManagers()).isEqualTo(8);
    assertThat(p.targetCpuUtilizationPercent()).isEqualTo(65).isBetween(50, 75);
    assertThat(p.scaleUp()).isEqualTo(new ScaleRules(0, 60, 4, 100));
    assertThat(p.scaleDown()).isEqualTo(new ScaleRules(300, 300, 1, 25));
    assertThat(p.scaleDown().stabilizationWindowSeconds()).as("minutes").isGreaterThanOrEqualTo(60);
    assertThat(p.scaleDown().periodSeconds())
        .as("one step per window")
        .isEqualTo(p.scaleDown().stabilizationWindowSeconds());
    assertThat(p.enforceCheckpointing()).isFalse();
    assertThat(p.metrics()).isEmpty();
  }

  @Test
  void enabledFalseTurnsScalingOffWhateverElseIsWritten() {
    var result = ScalingPolicy.from(spec("enabled: false\nminTaskManagers: 9\nmaxTaskManagers: 2"));
    assertThat(result.valid()).isTrue();
    assertThat(result.policy().enabled()).isFalse();
  }

  @Test
  void everyKnobIsReadFromItsJsonName() {
    ScalingPolicy p =
        policy(
            """
            enabled: true
            minTaskManagers: 3
            maxTaskManagers: 30
            targetCpuUtilizationPercent: 70
            scaleUp: {stabilizationWindowSeconds: 30, periodSeconds: 120, maxTaskManagersPerPeriod: 6, maxPercentPerPeriod: 50}
            scaleDown: {stabilizationWindowSeconds: 600, periodSeconds: 600, maxTaskManagersPerPeriod: 2, maxPercentPerPeriod: 10}
            enforceCheckpointing: true
            metrics:
              - type: External
                external:
                  metric: {name: kafka_consumergroup_lag, selector: {matchLabels: {topic: ticks}}}
                  target: {type: AverageValue, averageValue: "1000"}
            """);

    assertThat(p.minTaskManagers()).isEqualTo(3);
    assertThat(p.maxTaskManagers()).isEqualTo(30);
    assertThat(p.targetCpuUtilizationPercent()).isEqualTo(70);
    assertThat(p.scaleUp()).isEqualTo(new ScaleRules(30, 120, 6, 50));
    assertThat(p.scaleDown()).isEqualTo(new ScaleRules(600, 600, 2, 10));
    assertThat(p.enforceCheckpointing()).isTrue();
    assertThat(p.metrics()).hasSize(1);
    assertThat(p.metrics().get(0).getExternal().getMetric().getName())
        .isEqualTo("kafka_consumergroup_lag");
    assertThat(p.metrics().get(0).getExternal().getTarget().getAverageValue().toString())
        .isEqualTo("1000");
  }

  @Test
  void aScaleDownWindowWithoutPeriodKeepsOneStepPerWindow() {
    ScalingPolicy p = policy("maxTaskManagers: 8\nscaleDown: {stabilizationWindowSeconds: 600}");
    assertThat(p.scaleDown()).isEqualTo(new ScaleRules(600, 600, 1, 25));

    ScalingPolicy hour =
        policy("maxTaskManagers: 8\nscaleDown: {stabilizationWindowSeconds: 3600}");
    assertThat(hour.scaleDown().periodSeconds()).as("the API's longest period").isEqualTo(1800);
  }

  @Test
  void embedsAsTheScalingFieldOfAPolicySpecAndWritesBackOnlyWhatWasSet() throws Exception {
    Embedding e =
        YAML.readValue(
            """
            namespaceDefault: true
            scaling:
              maxTaskManagers: 12
              scaleDown: {stabilizationWindowSeconds: 600}
            """,
            Embedding.class);

    assertThat(ScalingPolicy.from(e.scaling()).policy().maxTaskManagers()).isEqualTo(12);
    assertThat(ScalingFixtures.json(YAML.writeValueAsString(e)))
        .isEqualTo(
            ScalingFixtures.json(
                """
                namespaceDefault: true
                scaling:
                  maxTaskManagers: 12
                  scaleDown: {stabilizationWindowSeconds: 600}
                """));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          minTaskManagers: 2                                   | scaling.maxTaskManagers is required
          {maxTaskManagers: 4, minTaskManagers: 5}             | scaling.maxTaskManagers (4) is below scaling.minTaskManagers (5)
          {maxTaskManagers: 4, minTaskManagers: 0}             | scaling.minTaskManagers must be at least 1, not 0
          {maxTaskManagers: 0}                                 | scaling.maxTaskManagers must be at least 1, not 0
          {maxTaskManagers: 4, targetCpuUtilizationPercent: 0}   | scaling.targetCpuUtilizationPercent must be between 1 and 100, not 0
          {maxTaskManagers: 4, targetCpuUtilizationPercent: 101} | scaling.targetCpuUtilizationPercent must be between 1 and 100, not 101
          {maxTaskManagers: 4, scaleUp: {periodSeconds: 0}}    | scaling.scaleUp.periodSeconds must be between 1 and 1800, not 0
          {maxTaskManagers: 4, scaleDown: {periodSeconds: 1801}} | scaling.scaleDown.periodSeconds must be between 1 and 1800, not 1801
          {maxTaskManagers: 4, scaleDown: {stabilizationWindowSeconds: 3601}} | scaling.scaleDown.stabilizationWindowSeconds must be between 0 and 3600
          {maxTaskManagers: 4, scaleUp: {stabilizationWindowSeconds: -1}} | scaling.scaleUp.stabilizationWindowSeconds must be between 0 and 3600
          {maxTaskManagers: 4, scaleDown: {maxTaskManagersPerPeriod: 0}} | scaling.scaleDown.maxTaskManagersPerPeriod must be at least 1
          {maxTaskManagers: 4, scaleDown: {maxPercentPerPeriod: 150}} | scaling.scaleDown.maxPercentPerPeriod must be between 1 and 100, not 150
          {maxTaskManagers: 4, scaleUp: {maxPercentPerPeriod: 0}} | scaling.scaleUp.maxPercentPerPeriod must be at least 1, not 0
          {maxTaskManagers: 4, metrics: [{external: {metric: {name: lag}}}]} | scaling.metrics[0].type is required
          {maxTaskManagers: 4, metrics: [{type: Custom}]}      | scaling.metrics[0].type must be one of
          {maxTaskManagers: 4, metrics: [{type: External}]}    | scaling.metrics[0] has type External but no .external section
          {maxTaskManagers: 4, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]} | set scaling.targetCpuUtilizationPercent instead
          """)
  void refusesInconsistentSettingsNamingTheFieldAndTheFix(String yaml, String message) {
    var result = ScalingPolicy.from(spec(yaml));

    assertThat(result.valid()).isFalse();
    assertThat(result.invalidMessage()).contains(message);
  }

  @Test
  void scaleUpPercentMayExceedAHundred() {
    assertThat(policy("maxTaskManagers: 4\nscaleUp: {maxPercentPerPeriod: 300}").scaleUp())
        .extracting(ScaleRules::maxPercentPerPeriod)
        .isEqualTo(300);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    var result =
        ScalingPolicy.from(
            spec("{maxTaskManagers: 1, minTaskManagers: 2, targetCpuUtilizationPercent: 200}"));
    assertThat(result.invalidMessage())
        .contains("scaling.maxTaskManagers (1)")
        .contains("targetCpuUtilizationPercent");
  }

  @Test
  void aMemoryResourceMetricIsAllowed() {
    assertThat(
            policy(
                    """
                    maxTaskManagers: 4
                    metrics:
                      - type: Resource
                        resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
                    """)
                .metrics())
        .hasSize(1);
  }
}
