package dev.flinkspot.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.DeploymentScaling;
import dev.flinkspot.policy.ScalingCounts;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingStatusReportTest {

  private final Map<String, HorizontalPodAutoscaler> hpas = new HashMap<>();

  private static HorizontalPodAutoscalerCondition condition(
      String type, String status, String reason) {
    return new HorizontalPodAutoscalerConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(reason + " message")
        .withLastTransitionTime("2025-01-01T00:00:00Z")
        .build();
  }

  private void hpa(String name, boolean ours, HorizontalPodAutoscalerCondition... conditions) {
    var builder =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("flink")
            .addToLabels(ours ? Map.of(Names.MANAGED_BY_LABEL, Names.MANAGED_BY) : Map.of())
            .endMetadata()
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
            .withKind(Names.FLINK_DEPLOYMENT_KIND)
            .withName(name)
            .endScaleTargetRef()
            .withMinReplicas(2)
            .withMaxReplicas(10)
            .endSpec();
    if (conditions.length > 0) {
      builder
          .withNewStatus()
          .withCurrentReplicas(2)
          .withDesiredReplicas(3)
          .withConditions(conditions)
          .endStatus();
    }
    hpas.put(name, builder.build());
  }

  private ScalingStatusReport.Report report(boolean valid, String... governed) {
    return ScalingStatusReport.of(true, valid, List.of(governed), hpas::get);
  }

  @Test
  void notScaledReportsNothing() {
    var report = ScalingStatusReport.of(false, true, List.of("a"), hpas::get);

    assertThat(report.entries()).isEmpty();
    assertThat(report.condition()).isNull();
  }

  @Test
  void activeHpasAreReadyAndOnlyCounted() {
    hpa(
        "a",
        true,
        condition("AbleToScale", "True", "ReadyForNewScale"),
        condition("ScalingActive", "True", "ValidMetricFound"),
        condition("ScalingLimited", "False", "DesiredWithinRange"));

    var report = report(true, "a");

    assertThat(report.entries()).as("nothing to report: its replicas are in Prometheus").isEmpty();
    assertThat(report.counts()).isEqualTo(new ScalingCounts(1, 0, 0, 0, 0, 0));
    assertThat(report.condition())
        .isEqualTo(new ScalingStatusReport.Summary("True", "Active", "1 HPA(s) scaling"));
  }

  @Test
  void aDeploymentThatCannotScaleHasItsHpaStatusCopied() {
    var able = condition("AbleToScale", "True", "SucceededGetScale");
    var inactive = condition("ScalingActive", "False", "FailedGetResourceMetric");
    hpa("a", true, able, inactive);

    var report = report(true, "a");

    assertThat(report.entries())
        .containsExactly(
            new DeploymentScaling("a", "a", 2, 10, 2, 3, null, List.of(able, inactive)));
    assertThat(report.counts()).isEqualTo(new ScalingCounts(1, 0, 0, 0, 1, 0));
  }

  @Test
  void entriesComeMostUrgentFirstThenByName() {
    var able = condition("AbleToScale", "True", "ReadyForNewScale");
    hpa("a-limited", true, able, condition("ScalingLimited", "True", "TooFewReplicas"));
    hpa("b-pending", true);
    hpa("c-inactive", true, able, condition("ScalingActive", "False", "InvalidSelector"));
    hpa("d-healthy", true, able, condition("ScalingActive", "True", "ValidMetricFound"));

    var report = report(true, "a-limited", "b-pending", "c-inactive", "d-healthy", "e-missing");

    assertThat(report.entries())
        .extracting(DeploymentScaling::deployment)
        .containsExactly("e-missing", "c-inactive", "b-pending", "a-limited");
    assertThat(report.counts()).isEqualTo(new ScalingCounts(4, 1, 1, 0, 1, 1));
  }

  @Test
  void limitedIsNamedButStillReady() {
    hpa(
        "a",
        true,
        condition("AbleToScale", "True", "ReadyForNewScale"),
        condition("ScalingActive", "True", "ValidMetricFound"),
        condition("ScalingLimited", "True", "TooFewReplicas"));

    var summary = report(true, "a").condition();

    assertThat(summary.status()).isEqualTo("True");
    assertThat(summary.message()).contains("ScalingLimited").contains("a (TooFewReplicas)");
  }

  @Test
  void scalingInactiveWithoutMetricsIsFalse() {
    hpa(
        "a",
        true,
        condition("AbleToScale", "True", "SucceededGetScale"),
        condition("ScalingActive", "False", "FailedGetResourceMetric"));

    var summary = report(true, "a").condition();

    assertThat(summary)
        .isEqualTo(
            new ScalingStatusReport.Summary(
                "False",
                "ScalingInactive",
                "ScalingActive=False: a (FailedGetResourceMetric); FailedGetResourceMetric: the"
                    + " HPA gets no CPU metrics; install metrics-server"));
  }

  @Test
  void notAbleToScaleIsFalse() {
    hpa("a", true, condition("AbleToScale", "False", "FailedGetScale"));

    assertThat(report(true, "a").condition().reason()).isEqualTo("NotAbleToScale");
  }

  @Test
  void missingOrForeignHpaIsFalseAndNamesTheDeployment() {
    hpa("foreign", false, condition("AbleToScale", "True", "x"));

    var report = report(true, "absent", "foreign");

    assertThat(report.entries()).extracting(DeploymentScaling::hpa).containsExactly(null, null);
    assertThat(report.condition().reason()).isEqualTo("HpaMissing");
    assertThat(report.condition().message()).contains("absent, foreign");
  }

  @Test
  void hpaWithoutStatusYetIsUnknown() {
    hpa("a", true);

    var report = report(true, "a");

    assertThat(report.condition().status()).isEqualTo("Unknown");
    assertThat(report.condition().reason()).isEqualTo("AwaitingHpaStatus");
    assertThat(report.entries().get(0).currentReplicas()).isNull();
  }

  @Test
  void invalidPolicyIsUnknownAndStillCountsTheKeptHpas() {
    hpa("a", true, condition("AbleToScale", "True", "x"));
    hpa("b", true, condition("AbleToScale", "False", "FailedGetScale"));

    var report = report(false, "a", "b");

    assertThat(report.condition().status()).isEqualTo("Unknown");
    assertThat(report.condition().reason()).isEqualTo("PolicyInvalid");
    assertThat(report.counts().withHpa()).isEqualTo(2);
    assertThat(report.entries()).extracting(DeploymentScaling::hpa).containsExactly("b");
  }

  @Test
  void noGovernedDeployments() {
    assertThat(report(true).condition().reason()).isEqualTo("NoDeployments");
  }

  @Test
  void longListsAreShortened() {
    var summary = report(true, "a", "b", "c", "d", "e", "f", "g").condition();

    assertThat(summary.message()).contains("a, b, c, d, e and 2 more");
  }
}
