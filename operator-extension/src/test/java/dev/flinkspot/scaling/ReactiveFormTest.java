package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.deployment;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReactiveFormTest {

  private static final ScalingPolicy POLICY = policy(TWO_TO_TEN);
  private static final String JOB = "job: {jarURI: \"local:///opt/flink/usrlib/job.jar\"}\n";

  /** The status the Flink operator 1.10 writes once it deployed {@code lastSpecJson}. */
  private static ObjectNode deployed(ObjectNode d, String lastSpecJson) {
    d.putObject("status")
        .putObject("reconciliationStatus")
        .put(
            "lastReconciledSpec",
            "{\"spec\":" + lastSpecJson + ",\"resource_metadata\":{\"firstDeployment\":true}}")
        .put("state", "DEPLOYED");
    return d;
  }

  @Test
  void beforeTheFirstDeploymentItIsReactiveDefaultsThenTheValidator() {
    ObjectNode d = deployment(JOB);

    var form = ReactiveForm.of(d, POLICY, ReactiveForm.deployedMode(d), List.of());

    assertThat(form.desired()).isEqualTo(ReactiveDefaults.apply(d, POLICY).defaulted());
    assertThat(form.desired().path("spec").path("mode").asText()).isEqualTo("standalone");
    assertThat(form.added()).contains("spec.mode=standalone");
    assertThat(form.findings())
        .isEqualTo(ReactiveValidator.validate(form.desired(), POLICY, List.of()));
    assertThat(form.defaultsBlocked()).isEmpty();
  }

  @Test
  void neverChangesTheModeTheOperatorDeployedNativeAndAddsNothingElse() {
    // Unset mode deployed = native; the operator rejects a switch to standalone afterwards.
    ObjectNode d = deployed(deployment(JOB), "{\"job\":{}}");

    var form = ReactiveForm.of(d, POLICY, ReactiveForm.deployedMode(d), List.of());

    assertThat(form.desired()).isEqualTo(d);
    assertThat(form.desired().path("spec").has("mode")).isFalse();
    assertThat(form.added()).isEmpty();
    assertThat(form.defaultsBlocked()).contains("deployed in native mode");
    assertThat(form.findings())
        .filteredOn(f -> f.reason() == Finding.Reason.NativeMode)
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("recreate").contains("standalone"));
  }

  @Test
  void restoresTheStandaloneModeItWasDeployedWith() {
    ObjectNode d = deployed(deployment(JOB), "{\"mode\":\"standalone\",\"job\":{}}");

    var form = ReactiveForm.of(d, POLICY, ReactiveForm.deployedMode(d), List.of());

    assertThat(form.desired().path("spec").path("mode").asText()).isEqualTo("standalone");
    assertThat(
            form.desired().path("spec").path("flinkConfiguration").path("scheduler-mode").asText())
        .isEqualTo("REACTIVE");
  }

  @Test
  void anExplicitNativeModeGetsNoDefaultsSinceReactiveWouldStopTheJobManager() {
    ObjectNode d = deployment(JOB + "mode: native\n");

    var form = ReactiveForm.of(d, POLICY, Optional.empty(), List.of());

    assertThat(form.desired()).isEqualTo(d);
    assertThat(form.findings()).extracting(Finding::reason).contains(Finding.Reason.NativeMode);
  }

  @Test
  void aSessionClusterGetsNoDefaultsAndOneFinding() {
    ObjectNode d = deployment("");

    var form = ReactiveForm.of(d, POLICY, Optional.empty(), List.of());

    assertThat(form.desired()).isEqualTo(d);
    assertThat(form.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(Finding.Reason.SessionCluster);
              assertThat(f.field()).isEqualTo("spec.job");
            });
  }

  @Test
  void scalingOffChangesAndFindsNothing() {
    ObjectNode d = deployment(JOB);

    var form = ReactiveForm.of(d, ScalingPolicy.DISABLED, Optional.empty(), List.of());

    assertThat(form.desired()).isSameAs(d);
    assertThat(form.findings()).isEmpty();
  }

  @Test
  void isAFixedPoint() {
    ObjectNode d = deployment(JOB);
    var first = ReactiveForm.of(d, POLICY, Optional.empty(), List.of());

    var second = ReactiveForm.of(first.desired(), POLICY, Optional.empty(), List.of());

    assertThat(second.desired()).isEqualTo(first.desired());
    assertThat(second.added()).isEmpty();
  }

  @Test
  void readsTheDeployedModeInEveryFormatTheOperatorWrote() {
    assertThat(ReactiveForm.deployedMode(deployment(""))).isEmpty();
    assertThat(ReactiveForm.deployedMode(deployed(deployment(""), "{\"mode\":\"standalone\"}")))
        .contains("standalone");
    assertThat(ReactiveForm.deployedMode(deployed(deployment(""), "{}"))).contains("native");
    // Before operator 1.5: the bare spec.
    ObjectNode old = deployment("");
    old.putObject("status")
        .putObject("reconciliationStatus")
        .put("lastReconciledSpec", "{\"mode\":\"STANDALONE\"}");
    assertThat(ReactiveForm.deployedMode(old)).contains("standalone");
    ObjectNode garbled = deployment("");
    garbled.putObject("status").putObject("reconciliationStatus").put("lastReconciledSpec", "{");
    assertThat(ReactiveForm.deployedMode(garbled)).contains("unknown");
  }

  /**
   * Keeps the comments of k8s/examples/stock-ticker.yaml, its 2.2 twin and the shipped policy true.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "stock-ticker.yaml, jobmanager.adaptive-scheduler.scaling-interval.min",
    "stock-ticker-2.2.yaml, jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling"
  })
  void theExampleDeploymentUnderTheShippedPolicyGainsOnlyTheRescaleIntervalAndPreStop(
      String file, String cooldownKey) throws Exception {
    var root = dev.flinkspot.testing.kube.RepoRoot.find().resolve("k8s");
    var policy =
        ScalingFixtures.YAML.treeToValue(
            ScalingFixtures.YAML
                .readTree(root.resolve("flink/spot-taskmanagers-policy.yaml").toFile())
                .path("spec")
                .path("scaling"),
            ScalingSpec.class);
    var example = ScalingFixtures.YAML.readTree(root.resolve("examples").resolve(file).toFile());
    var scaling = ScalingPolicy.from(policy).policy();

    var form = ReactiveForm.of(example, scaling, Optional.empty(), List.of());

    assertThat(scaling.enforceCheckpointing()).isTrue();
    assertThat(form.added())
        .containsExactly(
            "spec.taskManager.podTemplate.spec.containers[flink-main-container]"
                + ".lifecycle.preStop=flinkspot-prestop http://"
                + example.path("metadata").path("name").asText()
                + "-rest."
                + example.path("metadata").path("namespace").asText()
                + ".svc:8081",
            "spec.flinkConfiguration." + cooldownKey + "=60 s",
            "spec.flinkConfiguration.rest.cache.checkpoint-statistics.timeout=500 ms");
    assertThat(form.findings()).isEmpty();
  }

  /** The controller caches the reduced lastReconciledSpec: the deployed mode reads the same. */
  @Test
  void theReducedLastReconciledSpecGivesTheSameDeployedMode() {
    for (String last :
        List.of(
            "",
            "{\"spec\":{\"mode\":\"standalone\",\"job\":{\"jarURI\":\"x\"}},"
                + "\"resource_metadata\":{\"apiVersion\":\"v1beta1\"}}",
            "{\"spec\":{\"job\":{}},\"resource_metadata\":{}}",
            "{\"mode\":\"NATIVE\",\"job\":{}}",
            "{not json")) {
      var full = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      full.putObject("status").putObject("reconciliationStatus").put("lastReconciledSpec", last);
      var reduced = full.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode)
              reduced.path("status").path("reconciliationStatus"))
          .put("lastReconciledSpec", ReactiveForm.reducedLastReconciledSpec(last));
      assertThat(ReactiveForm.deployedMode(reduced))
          .as(last)
          .isEqualTo(ReactiveForm.deployedMode(full));
      assertThat(ReactiveForm.reducedLastReconciledSpec(last).length()).isLessThanOrEqualTo(60);
    }
  }
}
