package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.desired.ScalingStatusReport;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.FlinkSpotPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
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

  private static final int GOVERNED = 10_000;
  private static final List<String> NAMES =
      IntStream.range(0, GOVERNED)
          .mapToObj(i -> "stock-ticker-eu-west-1-%05d".formatted(i))
          .toList();
  // What the HPA controller says without a metrics server (kubernetes
  // pkg/controller/podautoscaler/horizontal.go): the longest condition message a fresh install
  // sees.
  private static final String NO_METRICS =
      "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to"
          + " get metrics for resource cpu: unable to fetch metrics from resource metrics API: the"
          + " server could not find the requested resource (get pods.metrics.k8s.io)";

  /** Our HPA for {@code name} with these replica figures and conditions (type, status, reason). */
  private static HorizontalPodAutoscaler hpa(
      String name, int current, int desired, String... conditions) {
    var builder =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels(Map.of(Names.MANAGED_BY_LABEL, Names.MANAGED_BY))
            .endMetadata()
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
            .withKind(Names.FLINK_DEPLOYMENT_KIND)
            .withName(name)
            .endScaleTargetRef()
            .withMinReplicas(1)
            .withMaxReplicas(10)
            .endSpec()
            .withNewStatus()
            .withCurrentReplicas(current)
            .withDesiredReplicas(desired)
            .withLastScaleTime("2026-01-01T00:00:00Z")
            .endStatus();
    for (int i = 0; i < conditions.length; i += 3) {
      builder
          .editStatus()
          .addToConditions(
              new HorizontalPodAutoscalerConditionBuilder()
                  .withType(conditions[i])
                  .withStatus(conditions[i + 1])
                  .withReason(conditions[i + 2])
                  .withMessage(NO_METRICS)
                  .withLastTransitionTime("2026-01-01T00:00:00Z")
                  .build())
          .endStatus();
    }
    return builder.build();
  }

  /** The status the policy reconciler builds for {@link #NAMES} and these HPAs. */
  private static FlinkSpotPolicyStatus status(Function<String, HorizontalPodAutoscaler> hpas) {
    var report = ScalingStatusReport.of(true, true, NAMES, hpas);
    var summary = report.condition();
    var scalingReady =
        new ConditionBuilder()
            .withType(ScalingStatusReport.SCALING_READY)
            .withStatus(summary.status())
            .withReason(summary.reason())
            .withMessage(summary.message())
            .withLastTransitionTime("2026-06-01T00:00:00Z")
            .build();
    return new FlinkSpotPolicyStatus(
            1L, List.of(ready("True", "2026-06-01T00:00:00Z"), scalingReady), NAMES)
        .withScaling(report.entries(), report.counts());
  }

  private static int jsonBytes(FlinkSpotPolicyStatus status) {
    return new KubernetesSerialization().asJson(status).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void tenThousandDeploymentsThatAllCannotScaleGiveABoundedStatus() {
    // Worst case: every deployment has something to report, with three long conditions each.
    var status =
        status(
            name ->
                hpa(
                    name,
                    2,
                    2,
                    "AbleToScale",
                    "True",
                    "SucceededGetScale",
                    "ScalingActive",
                    "False",
                    "FailedGetResourceMetric",
                    "ScalingLimited",
                    "True",
                    "TooFewReplicas"));

    int bytes = jsonBytes(status);
    System.out.printf(
        "policy status of %,d deployments that cannot scale: %,d bytes%n", GOVERNED, bytes);
    // etcd refuses requests over 1.5 MiB; the unbounded status was 2.6 MB here.
    assertThat(bytes).isLessThan(256 * 1024);
    assertThat(status.getGovernedCount()).isEqualTo(GOVERNED);
    assertThat(status.getGovernedDeployments()).hasSize(FlinkSpotPolicyStatus.LISTED);
    assertThat(status.getGovernedTruncated()).isTrue();
    assertThat(status.getScaling()).hasSize(FlinkSpotPolicyStatus.LISTED);
    assertThat(status.getScalingTruncated()).isTrue();
    assertThat(status.getScalingCounts().scalingInactive()).isEqualTo(GOVERNED);
  }

  @Test
  void replicaChurnOfHealthyDeploymentsWritesNothing() {
    String[] healthy = {
      "AbleToScale", "True", "ReadyForNewScale", "ScalingActive", "True", "ValidMetricFound"
    };
    var current = status(name -> hpa(name, 2, 3, healthy));
    // Every HPA saw new load and wants other replicas; their conditions stay the same.
    var desired = status(name -> hpa(name, 3, 5, healthy));

    System.out.printf(
        "policy status of %,d healthy deployments: %,d bytes%n", GOVERNED, jsonBytes(current));
    assertThat(current.getScaling()).isEmpty();
    assertThat(current.getScalingCounts().withHpa()).isEqualTo(GOVERNED);
    assertThat(PolicyStatusRecorder.keepTransitionTimes(current, desired))
        .as("equal status: the recorder writes nothing")
        .isEqualTo(current);
  }
}
