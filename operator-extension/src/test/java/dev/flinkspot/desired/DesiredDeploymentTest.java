package dev.flinkspot.desired;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.deployment;
import static dev.flinkspot.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.kube.Names;
import dev.flinkspot.placement.PlacementDecision;
import dev.flinkspot.policy.PolicyResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one desired-state answer: placement first, then (for a placeable deployment) its writes. */
class DesiredDeploymentTest {

  private static DesiredDeployment of(ObjectNode d, PolicyResolver.Resolution resolution) {
    return DesiredDeployment.of(d, resolution, Optional.empty(), List.of());
  }

  @Test
  void aNewGovernedDeploymentIsPlacedAndItsPatchLeadsToTheDesiredObject() {
    ObjectNode raw = deployment("");
    var want = of(raw, new PolicyResolver.Governed(policy(SPOT_TASKMANAGERS)));

    assertThat(want.placement()).isInstanceOf(PlacementDecision.Place.class);
    assertThat(want.placeable()).isTrue();
    assertThat(want.changes(raw)).isTrue();
    assertThat(want.patch(raw)).isNotEmpty();
    assertThat(want.missing()).isEqualTo("placement");
    assertThat(want.missingVerb()).isEqualTo("is");
    // The desired object is a fixed point: deciding on it again changes nothing.
    var again = of(want.desired(), new PolicyResolver.Governed(policy(SPOT_TASKMANAGERS)));
    assertThat(again.placement()).isInstanceOf(PlacementDecision.InPlace.class);
    assertThat(again.changes(want.desired())).isFalse();
  }

  @Test
  void unplaceableDeploymentsHaveNoDesiredObject() {
    ObjectNode raw = deployment("");
    for (var resolution :
        List.of(
            new PolicyResolver.NotOptedIn(),
            new PolicyResolver.Missing("gone"),
            new PolicyResolver.Invalid("bad", "spot: Sometimes"))) {
      var want = of(raw, resolution);
      assertThat(want.placeable()).as(resolution.toString()).isFalse();
      assertThat(want.changes(raw)).isFalse();
      assertThat(want.findings()).isEmpty();
    }
  }

  @Test
  void aWriteIsAllowedWhenItRestartsNothingOrThePolicyRepairs() {
    var want = of(deployment(""), new PolicyResolver.Governed(policy(SPOT_TASKMANAGERS)));
    assertThat(want.writeAllowed(true)).isTrue();
    assertThat(want.writeAllowed(false)).isFalse(); // the example policy has no repairExisting
    var repairing =
        of(
            deployment(""),
            new PolicyResolver.Governed(policy(SPOT_TASKMANAGERS + "repairExisting: true\n")));
    assertThat(repairing.writeAllowed(false)).isTrue();
  }

  @Test
  void notYetDeployedUntilTheOperatorRecordsALastReconciledSpec() {
    ObjectNode raw = deployment("");
    assertThat(DesiredDeployment.notYetDeployed(raw)).isTrue();
    raw.putObject("status").putObject("reconciliationStatus").put("lastReconciledSpec", "{}");
    assertThat(DesiredDeployment.notYetDeployed(raw)).isFalse();
  }

  @Test
  void withoutAdmissionTheWebhooksRefusalOnCreateAppliesToTheStoredObject() {
    String job = "job: {jarURI: local:///opt/flink/usrlib/job.jar}\n";
    var scaling =
        new PolicyResolver.Governed(
            policy(
                SPOT_TASKMANAGERS + "scaling: {maxTaskManagers: 4, enforceCheckpointing: true}\n"));
    String checkpoints = "flinkConfiguration: {execution.checkpointing.interval: 30s}\n";

    ObjectNode unchecked = deployment(job);
    assertThat(of(unchecked, scaling).refusalWithoutAdmission(unchecked))
        .hasValueSatisfying(f -> assertThat(f.reason().name()).isEqualTo("CheckpointingOff"));
    // An explicit native mode is refused, deployed or not (an HPA would redeploy it each step).
    ObjectNode nativeOne = deployment("mode: native\n" + checkpoints + job);
    var deployedNative = DesiredDeployment.of(nativeOne, scaling, Optional.of("native"), List.of());
    assertThat(deployedNative.refusalWithoutAdmission(nativeOne))
        .hasValueSatisfying(f -> assertThat(f.reason().name()).isEqualTo("NativeMode"));
    assertThat(
            DesiredDeployment.notAdmittedMessage(
                deployedNative.refusalWithoutAdmission(nativeOne).get()))
        .contains("--no-webhook")
        .contains("spec.mode: ");
    // Native only because the mode is unset and it was deployed so: admission would not refuse.
    ObjectNode unset = deployment(checkpoints + job);
    assertThat(
            DesiredDeployment.of(unset, scaling, Optional.of("native"), List.of())
                .refusalWithoutAdmission(unset))
        .isEmpty();
    ObjectNode fine = deployment(checkpoints + job);
    assertThat(of(fine, scaling).refusalWithoutAdmission(fine)).isEmpty();
  }

  /**
   * A deployment placed before the governed pod label existed: the label alone is never written
   * when writing restarts the cluster (even under repairExisting); it rides along with any write
   * that happens anyway.
   */
  @Test
  void theGovernedLabelAloneIsWrittenOnlyWhenTheWriteRestartsNothing() {
    var repairing =
        new PolicyResolver.Governed(policy(SPOT_TASKMANAGERS + "repairExisting: true\n"));
    ObjectNode placedEarlier = of(deployment(""), repairing).desired().deepCopy();
    for (String component : List.of("jobManager", "taskManager")) {
      ObjectNode template =
          (ObjectNode) placedEarlier.path("spec").path(component).path("podTemplate");
      ObjectNode metadata = (ObjectNode) template.path("metadata");
      assertThat(metadata.path("labels").path(Names.GOVERNED_LABEL).asText()).isEqualTo("true");
      metadata.remove("labels");
      if (metadata.isEmpty()) {
        template.remove("metadata");
      }
    }
    var want = of(placedEarlier, repairing);

    assertThat(want.changes(placedEarlier)).isTrue();
    assertThat(want.changes(placedEarlier, false)).as("deployed: no label-only write").isFalse();
    assertThat(want.changes(placedEarlier, true)).as("restart-free: labelled").isTrue();
    assertThat(want.patch(placedEarlier).toString())
        .contains(Names.GOVERNED_LABEL)
        .doesNotContain("nodeAffinity");

    // With a real placement change pending, the write carries the label too.
    ObjectNode unplacedTaskManager = placedEarlier.deepCopy();
    ((ObjectNode) unplacedTaskManager.path("spec")).remove("taskManager");
    var repair = of(unplacedTaskManager, repairing);
    assertThat(repair.changes(unplacedTaskManager, false)).isTrue();
    assertThat(repair.patch(unplacedTaskManager).toString()).contains("flinkspot.dev/governed");
  }
}
