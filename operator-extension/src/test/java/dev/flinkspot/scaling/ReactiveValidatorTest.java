package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.deployment;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static dev.flinkspot.scaling.ScalingFixtures.reactiveDeployment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.scaling.Finding.Reason;
import dev.flinkspot.scaling.Finding.Severity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReactiveValidatorTest {

  private static final ScalingPolicy POLICY = policy(TWO_TO_TEN);

  private static List<Finding> findings(ObjectNode d) {
    return ReactiveValidator.validate(d, POLICY);
  }

  private static Finding only(List<Finding> findings, Reason reason) {
    assertThat(findings).extracting(Finding::reason).containsOnlyOnce(reason);
    return findings.stream().filter(f -> f.reason() == reason).findFirst().orElseThrow();
  }

  private static ObjectNode reactiveWith(String key, String value) {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("flinkConfiguration")).put(key, value);
    return d;
  }

  @Test
  void aDeploymentReadyForReactiveModeHasNoFindings() {
    assertThat(findings(reactiveDeployment())).isEmpty();
  }

  @Test
  void afterTheDefaultsOnlyCheckpointingIsLeftToTheUser() {
    var defaulted = ReactiveDefaults.apply(deployment(""), POLICY).defaulted();

    assertThat(findings(defaulted))
        .extracting(Finding::reason)
        .containsExactly(Reason.CheckpointingOff);
  }

  @Test
  void nothingIsCheckedWhenScalingIsOff() {
    assertThat(ReactiveValidator.validate(deployment("mode: native"), ScalingPolicy.DISABLED))
        .isEmpty();
  }

  @Test
  void trapNativeModeWithAnHpa() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.get("spec")).put("mode", "native");

    Finding f = only(findings(d), Reason.NativeMode);
    assertThat(f.severity()).isEqualTo(Severity.Error);
    assertThat(f.field()).isEqualTo("spec.mode");
    assertThat(f.message()).contains("standalone").contains("set spec.mode: standalone");
  }

  @Test
  void anUnsetModeIsTheOperatorsNativeDefault() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.get("spec")).remove("mode");

    assertThat(only(findings(d), Reason.NativeMode).message()).contains("spec.mode is unset");
  }

  @Test
  void trapSchedulerNotReactive() {
    Finding f = only(findings(reactiveWith("scheduler-mode", "default")), Reason.NotReactive);
    assertThat(f.severity()).isEqualTo(Severity.Error);
    assertThat(f.field()).isEqualTo("spec.flinkConfiguration.scheduler-mode");
    assertThat(f.message()).contains("full redeploy").contains("REACTIVE");

    assertThat(findings(reactiveWith("scheduler-mode", "reactive"))).isEmpty();
  }

  @Test
  void trapJobParallelismHardSetNextToReplicas() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("job")).put("parallelism", 8);
    ((ObjectNode) d.path("spec").path("taskManager")).put("replicas", 4);

    Finding f = only(findings(d), Reason.JobParallelismSet);
    assertThat(f.severity()).isEqualTo(Severity.Warning);
    assertThat(f.field()).isEqualTo("spec.job.parallelism");
    assertThat(f.message())
        .contains("spec.job.parallelism (8)")
        .contains("spec.taskManager.replicas (4)")
        .contains("remove spec.job.parallelism");
  }

  @Test
  void jobParallelismAloneIsReportedToo() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("job")).put("parallelism", 8);

    assertThat(only(findings(d), Reason.JobParallelismSet).message())
        .contains("derives taskManager.replicas from it");
  }

  @Test
  void trapMaxParallelismBelowMaxTaskManagersTimesSlots() {
    // 10 TaskManagers x 2 slots = 20 > 16: four slots would idle.
    Finding f =
        only(
            findings(reactiveWith("pipeline.max-parallelism", "16")),
            Reason.MaxParallelismBelowCapacity);

    assertThat(f.severity()).isEqualTo(Severity.Warning);
    assertThat(f.field()).isEqualTo("spec.flinkConfiguration.pipeline.max-parallelism");
    assertThat(f.message())
        .contains("pipeline.max-parallelism (16)")
        .contains("= 20")
        .contains("capped at 8 TaskManagers")
        .contains("lower scaling.maxTaskManagers to 8")
        .contains("at least 20");
  }

  @Test
  void anUnsetMaxParallelismIsFlinksDefault128() {
    ScalingPolicy big = policy("maxTaskManagers: 100");
    List<Finding> findings =
        ReactiveValidator.validate(reactiveWith("pipeline.max-parallelism", ""), big);

    assertThat(only(findings, Reason.MaxParallelismBelowCapacity).message())
        .contains("unset, so Flink uses 128")
        .contains("capped at 64 TaskManagers");
  }

  @Test
  void exactlyFullSlotsAreFine() {
    assertThat(findings(reactiveWith("pipeline.max-parallelism", "20"))).isEmpty();
  }

  @Test
  void trapRestartStrategyNone() {
    for (String none : List.of("none", "off", "disable", "NONE")) {
      Finding f =
          only(findings(reactiveWith("restart-strategy.type", none)), Reason.NoRestartStrategy);
      assertThat(f.severity()).isEqualTo(Severity.Error);
      assertThat(f.message()).contains("fails the job").contains("exponential-delay");
    }
  }

  @Test
  void trapRestartStrategyNoneThroughTheLegacyKey() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("flinkConfiguration")).remove("restart-strategy.type");
    ((ObjectNode) d.path("spec").path("flinkConfiguration")).put("restart-strategy", "none");

    assertThat(only(findings(d), Reason.NoRestartStrategy).severity()).isEqualTo(Severity.Error);
  }

  @Test
  void noRestartStrategyIsFineWithCheckpointingSinceFlinkThenRestartsWithBackoff() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("flinkConfiguration")).remove("restart-strategy.type");

    assertThat(findings(d)).isEmpty();
  }

  @Test
  void trapNoRestartStrategyAndNoCheckpointing() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("flinkConfiguration")).remove("restart-strategy.type");
    ((ObjectNode) d.path("spec").path("flinkConfiguration"))
        .remove("execution.checkpointing.interval");

    Finding f = only(findings(d), Reason.NoRestartStrategy);
    assertThat(f.severity()).isEqualTo(Severity.Warning);
    assertThat(f.message()).contains("Flink restarts nothing");
  }

  @Test
  void trapCheckpointingOffWarnsByDefault() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("flinkConfiguration"))
        .remove("execution.checkpointing.interval");

    Finding f = only(findings(d), Reason.CheckpointingOff);
    assertThat(f.severity()).isEqualTo(Severity.Warning);
    assertThat(f.field()).isEqualTo("spec.flinkConfiguration.execution.checkpointing.interval");
    assertThat(f.message())
        .contains("loses its state")
        .contains("execution.checkpointing.interval");
  }

  @Test
  void trapCheckpointingOffIsAnErrorWhenThePolicyEnforcesIt() {
    ScalingPolicy enforcing = policy(TWO_TO_TEN + "enforceCheckpointing: true\n");

    Finding f =
        only(
            ReactiveValidator.validate(
                reactiveWith("execution.checkpointing.interval", "0"), enforcing),
            Reason.CheckpointingOff);
    assertThat(f.severity()).isEqualTo(Severity.Error);
    assertThat(f.message()).contains("is 0").contains("enforces");
    assertThat(ReactiveValidator.validate(reactiveDeployment(), enforcing)).isEmpty();
  }

  @Test
  void trapTheFlinkOperatorsOwnAutoscaler() {
    for (String key :
        List.of("job.autoscaler.enabled", "kubernetes.operator.job.autoscaler.enabled")) {
      Finding f = only(findings(reactiveWith(key, "true")), Reason.OperatorAutoscalerEnabled);
      assertThat(f.severity()).isEqualTo(Severity.Error);
      assertThat(f.field()).endsWith(key);
    }
    assertThat(findings(reactiveWith("job.autoscaler.enabled", "false"))).isEmpty();
  }

  @Test
  void trapReplicasAboveThePolicysBound() {
    ObjectNode d = reactiveDeployment();
    ((ObjectNode) d.path("spec").path("taskManager")).put("replicas", 12);

    Finding f = only(findings(d), Reason.HpaMaxAbovePolicy);
    assertThat(f.field()).isEqualTo("spec.taskManager.replicas");
    assertThat(f.message()).contains("(12)").contains("scaling.maxTaskManagers (10)");
  }

  @Test
  void trapAnHpaMaxAboveThePolicysBound() {
    HorizontalPodAutoscaler ours =
        new HorizontalPodAutoscalerBuilder(
                HpaSpecs.desired(ScaleTarget.of(reactiveDeployment()), POLICY).hpa())
            .editSpec()
            .withMaxReplicas(40)
            .endSpec()
            .build();
    HorizontalPodAutoscaler foreign =
        new HorizontalPodAutoscalerBuilder(ours)
            .editMetadata()
            .withLabels(Map.of())
            .endMetadata()
            .build();

    List<Finding> findings =
        ReactiveValidator.validate(reactiveDeployment(), POLICY, List.of(foreign));

    Finding f = only(findings, Reason.HpaMaxAbovePolicy);
    assertThat(f.field()).isEqualTo("HorizontalPodAutoscaler/ticker.spec.maxReplicas");
    assertThat(f.message()).contains("allows 40").contains("scaling.maxTaskManagers (10)");
    // flinkspot's own HPA is set back in the same pass (HpaUpdated): nothing for the user to fix.
    assertThat(ReactiveValidator.validate(reactiveDeployment(), POLICY, List.of(ours)))
        .extracting(Finding::reason)
        .doesNotContain(Reason.HpaMaxAbovePolicy, Reason.ForeignHpa);
  }

  @Test
  void trapAForeignHpaOnTheSameDeployment() {
    HorizontalPodAutoscaler theirs = hpa("hand-made", "ticker", 10);
    HorizontalPodAutoscaler elsewhere = hpa("other", "another-deployment", 99);

    List<Finding> findings =
        ReactiveValidator.validate(reactiveDeployment(), POLICY, List.of(theirs, elsewhere));

    Finding f = only(findings, Reason.ForeignHpa);
    assertThat(f.message()).contains("hand-made").contains("fight");
    assertThat(findings).hasSize(1);
  }

  @Test
  void theDesiredHpaPassesItsOwnValidation() {
    var desired = HpaSpecs.desired(ScaleTarget.of(reactiveDeployment()), POLICY);
    assertThat(ReactiveValidator.validate(reactiveDeployment(), POLICY, List.of(desired.hpa())))
        .isEmpty();
  }

  private static HorizontalPodAutoscaler hpa(String name, String target, int max) {
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("flink")
        .endMetadata()
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("flink.apache.org/v1beta1")
        .withKind("FlinkDeployment")
        .withName(target)
        .endScaleTargetRef()
        .withMaxReplicas(max)
        .endSpec()
        .build();
  }
}
