package dev.flinkspot.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.desired.HpaDecision.KeepReason;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.scaling.ScaleTarget;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every branch of {@link HpaDecision#decide}. */
class HpaDecisionTest {

  private static final String SCALED =
      """
      scaling: {minTaskManagers: 2, maxTaskManagers: 10}
      """;

  private static ObjectNode deployment() {
    ObjectNode d =
        PolicyFixtures.deployment(
            """
            flinkConfiguration:
              taskmanager.numberOfTaskSlots: "2"
              pipeline.max-parallelism: "720"
            """);
    ((ObjectNode) d.get("metadata")).put("uid", "uid-1");
    return d;
  }

  private static PolicyResolver.Governed governed(String yaml) {
    return new PolicyResolver.Governed(PolicyFixtures.policy(yaml));
  }

  /** Our HPA as the policy wants it, as the server would return it (with a resourceVersion). */
  private static HorizontalPodAutoscaler ours(String policyYaml) {
    var scaling = PolicyFixtures.policy(policyYaml).scaling();
    HorizontalPodAutoscaler hpa = HpaSpecs.desired(ScaleTarget.of(deployment()), scaling).hpa();
    return new HorizontalPodAutoscalerBuilder(hpa)
        .editMetadata()
        .withResourceVersion("42")
        .addToLabels("team", "payments")
        .endMetadata()
        .build();
  }

  private static HorizontalPodAutoscaler foreign() {
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withName("ticker")
        .withNamespace("flink")
        .endMetadata()
        .withNewSpec()
        .withMinReplicas(1)
        .withMaxReplicas(3)
        .withNewScaleTargetRef()
        .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
        .withKind(Names.FLINK_DEPLOYMENT_KIND)
        .withName("ticker")
        .endScaleTargetRef()
        .endSpec()
        .build();
  }

  @Test
  void scaledDeploymentWithoutHpaGetsOneWithOwnerReferenceAndBounds() {
    var decision = HpaDecision.decide(deployment(), governed(SCALED), null);

    assertThat(decision).isInstanceOf(HpaDecision.Create.class);
    var hpa = ((HpaDecision.Create) decision).hpa();
    assertThat(hpa.getMetadata().getName()).isEqualTo("ticker");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(hpa.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-1"));
    assertThat(((HpaDecision.Create) decision).policy()).isEqualTo("spot-taskmanagers");
  }

  @Test
  void createCarriesTheClampFinding() {
    ObjectNode d = deployment();
    ((ObjectNode) d.at("/spec/flinkConfiguration")).put("pipeline.max-parallelism", "8");

    var decision = (HpaDecision.Create) HpaDecision.decide(d, governed(SCALED), null);

    assertThat(decision.hpa().getSpec().getMaxReplicas()).isEqualTo(4);
    assertThat(decision.findings())
        .extracting(Finding::reason)
        .containsExactly(Finding.Reason.HpaBoundClamped);
  }

  @Test
  void hpaInSyncIsKeptEvenWithServerAddedLabelsAndStatus() {
    var observed = ours(SCALED);
    observed.setStatus(
        new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder()
            .withCurrentReplicas(2)
            .withDesiredReplicas(2)
            .build());

    var decision = HpaDecision.decide(deployment(), governed(SCALED), observed);

    assertThat(decision).isInstanceOf(HpaDecision.Keep.class);
    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.IN_SYNC);
  }

  @Test
  void policyChangeUpdatesOwnedFieldsAndKeepsTheRest() {
    var observed = ours(SCALED);
    observed
        .getMetadata()
        .getOwnerReferences()
        .add(
            new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("x")
                .withUid("u")
                .build());

    var decision =
        HpaDecision.decide(
            deployment(), governed("scaling: {minTaskManagers: 3, maxTaskManagers: 12}"), observed);

    assertThat(decision).isInstanceOf(HpaDecision.Update.class);
    var hpa = ((HpaDecision.Update) decision).hpa();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
    assertThat(hpa.getMetadata().getResourceVersion())
        .as("optimistic: fails on a newer edit")
        .isEqualTo("42");
    assertThat(hpa.getMetadata().getLabels())
        .containsEntry("team", "payments")
        .containsEntry(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    assertThat(hpa.getMetadata().getOwnerReferences())
        .extracting(io.fabric8.kubernetes.api.model.OwnerReference::getKind)
        .containsExactlyInAnyOrder("ConfigMap", "FlinkDeployment");
  }

  @Test
  void driftIsRepaired() {
    var observed = ours(SCALED);
    observed.getSpec().setMaxReplicas(50);

    var decision = HpaDecision.decide(deployment(), governed(SCALED), observed);

    assertThat(((HpaDecision.Update) decision).hpa().getSpec().getMaxReplicas()).isEqualTo(10);
  }

  @Test
  void staleOwnerReferenceOfARecreatedDeploymentIsReplaced() {
    var observed = ours(SCALED);
    observed.getMetadata().getOwnerReferences().get(0).setUid("old-uid");

    var decision = HpaDecision.decide(deployment(), governed(SCALED), observed);

    assertThat(((HpaDecision.Update) decision).hpa().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-1"));
  }

  @Test
  void foreignSameNamedHpaIsRefusedWithTheFix() {
    var decision = HpaDecision.decide(deployment(), governed(SCALED), foreign());

    assertThat(decision).isInstanceOf(HpaDecision.Refuse.class);
    assertThat(((HpaDecision.Refuse) decision).message())
        .contains("app.kubernetes.io/managed-by=flinkspot")
        .contains("kubectl delete hpa -n flink ticker")
        .contains("scaling.enabled: false");
  }

  @Test
  void foreignHpaIsLeftAloneWhenNotScaled() {
    for (PolicyResolver.Resolution r :
        List.of(
            new PolicyResolver.NotOptedIn(), governed("{}"), new PolicyResolver.Missing("gone"))) {
      var decision = HpaDecision.decide(deployment(), r, foreign());
      assertThat(decision).as(r.toString()).isInstanceOf(HpaDecision.Keep.class);
      assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.NOT_SCALED);
    }
  }

  @Test
  void oursIsDeletedWhenTheDeploymentLeavesThePolicy() {
    var decision = HpaDecision.decide(deployment(), new PolicyResolver.NotOptedIn(), ours(SCALED));

    assertThat(decision)
        .isEqualTo(
            new HpaDecision.Delete(
                "ticker", "the deployment is no longer governed by a FlinkSpotPolicy"));
  }

  @Test
  void oursIsDeletedWhenScalingIsTurnedOff() {
    var off = governed("scaling: {enabled: false, maxTaskManagers: 10}");

    var decision = HpaDecision.decide(deployment(), off, ours(SCALED));

    assertThat(decision).isInstanceOf(HpaDecision.Delete.class);
    assertThat(((HpaDecision.Delete) decision).why()).contains("does not scale it");
  }

  @Test
  void oursIsDeletedWhenThePolicyIsGone() {
    var decision =
        HpaDecision.decide(deployment(), new PolicyResolver.Missing("spot"), ours(SCALED));

    assertThat(((HpaDecision.Delete) decision).why()).contains("spot no longer exists");
  }

  @Test
  void labelledButNotOwnedIsNotDeleted() {
    var observed = ours(SCALED);
    observed.getMetadata().getOwnerReferences().clear();

    var decision = HpaDecision.decide(deployment(), new PolicyResolver.NotOptedIn(), observed);

    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.NOT_OWNED);
  }

  @Test
  void nothingToDoWithoutPolicyAndWithoutHpa() {
    var decision = HpaDecision.decide(deployment(), new PolicyResolver.NotOptedIn(), null);

    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.NOT_SCALED);
  }

  @Test
  void invalidPolicyKeepsTheLastGoodHpa() {
    var observed = ours(SCALED);
    observed.getSpec().setMaxReplicas(50);
    var invalid = new PolicyResolver.Invalid("spot", "scaling.metrics[0] has no pods");

    var decision = HpaDecision.decide(deployment(), invalid, observed);

    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.POLICY_INVALID);
    assertThat(((HpaDecision.Keep) decision).message())
        .contains("keeps its last good spec")
        .contains("scaling.metrics[0] has no pods");
  }

  @Test
  void invalidPolicyCreatesNothing() {
    var decision =
        HpaDecision.decide(deployment(), new PolicyResolver.Invalid("spot", "bad"), null);

    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.NOT_SCALED);
  }

  @Test
  void ambiguousDefaultKeepsTheHpa() {
    var ambiguous = new PolicyResolver.AmbiguousDefault(List.of("a", "b"));

    assertThat(
            ((HpaDecision.Keep) HpaDecision.decide(deployment(), ambiguous, ours(SCALED))).reason())
        .isEqualTo(KeepReason.POLICY_INVALID);
    assertThat(((HpaDecision.Keep) HpaDecision.decide(deployment(), ambiguous, null)).reason())
        .isEqualTo(KeepReason.NOT_SCALED);
  }

  @Test
  void hpaBeingDeletedIsLeftToFinish() {
    var observed = ours(SCALED);
    observed.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");

    var decision = HpaDecision.decide(deployment(), governed(SCALED), observed);

    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.BEING_DELETED);
  }

  @Test
  void policyWithoutScalingGovernsNoHpa() {
    PlacementPolicy noScaling = PolicyFixtures.policy("{}");
    assertThat(noScaling.scaling().enabled()).isFalse();

    var decision = HpaDecision.decide(deployment(), new PolicyResolver.Governed(noScaling), null);

    assertThat(((HpaDecision.Keep) decision).reason()).isEqualTo(KeepReason.NOT_SCALED);
  }
}
