package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.ScalingFixtures.TWO_TO_TEN;
import static dev.flinkspot.scaling.ScalingFixtures.YAML;
import static dev.flinkspot.scaling.ScalingFixtures.policy;
import static dev.flinkspot.scaling.ScalingFixtures.reactiveDeployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.scaling.Finding.Reason;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class HpaSpecsTest {

  private static final ScalingPolicy POLICY = policy(TWO_TO_TEN);

  /** ticker: 2 slots, max parallelism 720, so up to 360 TaskManagers could be filled. */
  private static final ScaleTarget TICKER = ScaleTarget.of(reactiveDeployment());

  private static final String KAFKA_LAG =
      TWO_TO_TEN
          + """
          metrics:
            - type: External
              external:
                metric:
                  name: kafka_consumergroup_lag_sum
                  selector: {matchLabels: {consumergroup: ticker, topic: ticks}}
                target: {type: AverageValue, averageValue: "1000"}
          """;

  private static HorizontalPodAutoscaler desired(ScalingPolicy policy) {
    return HpaSpecs.desired(TICKER, policy).hpa();
  }

  @Test
  void readsTheTargetFromTheDeployment() {
    assertThat(TICKER).isEqualTo(new ScaleTarget("flink", "ticker", "1234", 2, 720));
    assertThat(TICKER.usableTaskManagers()).isEqualTo(360);
  }

  @Test
  void targetsTheFlinkDeploymentScaleSubresource() {
    HorizontalPodAutoscaler hpa = desired(POLICY);

    assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
    assertThat(hpa.getKind()).isEqualTo("HorizontalPodAutoscaler");
    assertThat(hpa.getMetadata().getName()).isEqualTo("ticker");
    assertThat(hpa.getMetadata().getNamespace()).isEqualTo("flink");
    var ref = hpa.getSpec().getScaleTargetRef();
    assertThat(ref.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
    assertThat(ref.getKind()).isEqualTo("FlinkDeployment");
    assertThat(ref.getName()).isEqualTo("ticker");
    assertThat(HpaSpecs.targets(hpa, "ticker")).isTrue();
    assertThat(HpaSpecs.targets(hpa, "other")).isFalse();
  }

  @Test
  void takesBoundsAndCpuTargetFromThePolicy() {
    HorizontalPodAutoscaler hpa = desired(POLICY);

    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(hpa.getSpec().getMetrics()).hasSize(1);
    MetricSpec cpu = hpa.getSpec().getMetrics().get(0);
    assertThat(cpu.getType()).isEqualTo("Resource");
    assertThat(cpu.getResource().getName()).isEqualTo("cpu");
    assertThat(cpu.getResource().getTarget().getType()).isEqualTo("Utilization");
    assertThat(cpu.getResource().getTarget().getAverageUtilization()).isEqualTo(65);
    assertThat(HpaSpecs.desired(TICKER, POLICY).findings()).isEmpty();
  }

  @Test
  void scalesUpPromptlyAndDownOneStepPerWindowOfMinutes() {
    var behavior = desired(POLICY).getSpec().getBehavior();

    HPAScalingRules up = behavior.getScaleUp();
    assertThat(up.getStabilizationWindowSeconds()).isZero();
    assertThat(up.getSelectPolicy()).isEqualTo("Max");
    assertThat(up.getPolicies())
        .extracting(p -> p.getType() + " " + p.getValue() + "/" + p.getPeriodSeconds() + "s")
        .containsExactly("Pods 4/60s", "Percent 100/60s");

    HPAScalingRules down = behavior.getScaleDown();
    assertThat(down.getStabilizationWindowSeconds()).isEqualTo(300);
    assertThat(down.getPolicies())
        .extracting(p -> p.getType() + " " + p.getValue() + "/" + p.getPeriodSeconds() + "s")
        .containsExactly("Pods 1/300s", "Percent 25/300s");
    assertThat(down.getPolicies())
        .allSatisfy(
            p -> assertThat(p.getPeriodSeconds()).isEqualTo(down.getStabilizationWindowSeconds()));
  }

  @Test
  void isOwnedByTheDeploymentAndLabelledAsOurs() {
    HorizontalPodAutoscaler hpa = desired(POLICY);

    assertThat(hpa.getMetadata().getOwnerReferences()).hasSize(1);
    OwnerReference owner = hpa.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
    assertThat(owner.getKind()).isEqualTo("FlinkDeployment");
    assertThat(owner.getName()).isEqualTo("ticker");
    assertThat(owner.getUid()).isEqualTo("1234");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(hpa.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "flinkspot")
        .containsEntry("flinkspot.dev/flinkdeployment", "ticker");
    assertThat(HpaSpecs.isOurs(hpa)).isTrue();
  }

  @Test
  void appendsThePolicysExtraMetricsAfterCpu() {
    HorizontalPodAutoscaler hpa = desired(policy(KAFKA_LAG));

    assertThat(hpa.getSpec().getMetrics())
        .extracting(MetricSpec::getType)
        .containsExactly("Resource", "External");
    var lag = hpa.getSpec().getMetrics().get(1).getExternal();
    assertThat(lag.getMetric().getName()).isEqualTo("kafka_consumergroup_lag_sum");
    assertThat(lag.getTarget().getAverageValue().toString()).isEqualTo("1000");
  }

  @Test
  void doesNotShareMetricObjectsWithThePolicy() {
    ScalingPolicy p = policy(KAFKA_LAG);
    desired(p).getSpec().getMetrics().get(1).getExternal().getMetric().setName("changed");

    assertThat(p.metrics().get(0).getExternal().getMetric().getName())
        .isEqualTo("kafka_consumergroup_lag_sum");
  }

  @Test
  void clampsTheMaxToWhatTheJobsMaxParallelismCanFill() {
    // 16 / 2 slots = 8 TaskManagers; the policy allows 10.
    ScaleTarget small = new ScaleTarget("flink", "ticker", "1234", 2, 16);

    var d = HpaSpecs.desired(small, POLICY);

    assertThat(d.hpa().getSpec().getMaxReplicas()).isEqualTo(8);
    assertThat(d.hpa().getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(d.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.HpaBoundClamped);
              assertThat(f.field()).isEqualTo("scaling.maxTaskManagers");
              assertThat(f.message()).contains("allows 8").contains("max parallelism 16 / 2 slots");
            });
  }

  @Test
  void clampsTheMinTooWhenEvenItCannotBeFilled() {
    // 5 / 2 slots = 2 TaskManagers (floor); the policy wants at least 3.
    ScaleTarget tiny = new ScaleTarget("flink", "ticker", "1234", 2, 5);

    var d = HpaSpecs.desired(tiny, policy("{minTaskManagers: 3, maxTaskManagers: 10}"));

    assertThat(d.hpa().getSpec().getMaxReplicas()).isEqualTo(2);
    assertThat(d.hpa().getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(d.findings())
        .singleElement()
        .satisfies(
            f -> assertThat(f.message()).contains("nor at least scaling.minTaskManagers (3)"));
  }

  @Test
  void keepsOneTaskManagerWhenSlotsExceedMaxParallelism() {
    ScaleTarget odd = new ScaleTarget("flink", "ticker", "1234", 8, 4);
    assertThat(HpaSpecs.desired(odd, POLICY).hpa().getSpec().getMaxReplicas()).isEqualTo(1);
  }

  @Test
  void refusesAPolicyWithScalingOff() {
    assertThatThrownBy(() -> HpaSpecs.desired(TICKER, ScalingPolicy.DISABLED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anHpaEqualToTheDesiredOneNeedsNoUpdate() {
    HorizontalPodAutoscaler d = desired(policy(KAFKA_LAG));
    assertThat(HpaSpecs.needsUpdate(d, new HorizontalPodAutoscalerBuilder(d).build())).isFalse();
  }

  @Test
  void theHpaAsTheApiServerReturnsItIsNotDrift() throws Exception {
    HorizontalPodAutoscaler observed =
        YAML.readValue(SERVER_RESPONSE, HorizontalPodAutoscaler.class);

    assertThat(HpaSpecs.needsUpdate(desired(policy(KAFKA_LAG)), observed)).isFalse();
  }

  @Test
  void missingHpaNeedsCreating() {
    assertThat(HpaSpecs.needsUpdate(desired(POLICY), null)).isTrue();
  }

  @Test
  void driftInAnOwnedFieldNeedsAnUpdate() throws Exception {
    HorizontalPodAutoscaler d = desired(policy(KAFKA_LAG));
    HorizontalPodAutoscaler server = YAML.readValue(SERVER_RESPONSE, HorizontalPodAutoscaler.class);

    assertDrift(d, server, h -> edit(h).editSpec().withMaxReplicas(20).endSpec().build());
    assertDrift(d, server, h -> edit(h).editSpec().withMinReplicas(1).endSpec().build());
    assertDrift(
        d,
        server,
        h ->
            edit(h)
                .editSpec()
                .editScaleTargetRef()
                .withName("other")
                .endScaleTargetRef()
                .endSpec()
                .build());
    assertDrift(
        d,
        server,
        h -> {
          HorizontalPodAutoscaler c = edit(h).build();
          c.getSpec().getMetrics().get(0).getResource().getTarget().setAverageUtilization(80);
          return c;
        });
    assertDrift(
        d,
        server,
        h -> {
          HorizontalPodAutoscaler c = edit(h).build();
          c.getSpec().getMetrics().remove(1);
          return c;
        });
    assertDrift(
        d,
        server,
        h -> {
          HorizontalPodAutoscaler c = edit(h).build();
          c.getSpec()
              .getMetrics()
              .get(1)
              .getExternal()
              .getTarget()
              .setAverageValue(new io.fabric8.kubernetes.api.model.Quantity("2k"));
          return c;
        });
    assertDrift(d, server, h -> edit(h).editSpec().withBehavior(null).endSpec().build());
    assertDrift(
        d,
        server,
        h -> {
          HorizontalPodAutoscaler c = edit(h).build();
          c.getSpec().getBehavior().getScaleDown().setStabilizationWindowSeconds(0);
          return c;
        });
    assertDrift(d, server, h -> edit(h).editMetadata().withOwnerReferences().endMetadata().build());
    assertDrift(
        d,
        server,
        h ->
            edit(h)
                .editMetadata()
                .removeFromLabels("app.kubernetes.io/managed-by")
                .endMetadata()
                .build());
  }

  @Test
  void fieldsWeDoNotOwnAreNotDrift() throws Exception {
    HorizontalPodAutoscaler d = desired(policy(KAFKA_LAG));
    HorizontalPodAutoscaler server = YAML.readValue(SERVER_RESPONSE, HorizontalPodAutoscaler.class);
    HorizontalPodAutoscaler touched =
        edit(server)
            .editMetadata()
            .addToLabels("team", "data")
            .addToAnnotations("note", "hello")
            .addNewOwnerReference()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("x")
            .withUid("9")
            .endOwnerReference()
            .endMetadata()
            .build();

    assertThat(HpaSpecs.needsUpdate(d, touched)).isFalse();
  }

  @Test
  void anEmptyListTheServerOmitsIsNotDrift() {
    var empty =
        ScalingFixtures.json(
            "{spec: {metrics: [{external: {metric: {selector: {matchExpressions: []}}}}]}}");
    var omitted = ScalingFixtures.json("{spec: {metrics: [{external: {metric: {}}}]}}");
    assertThat(HpaSpecs.covers(omitted, empty, "")).isTrue();
    assertThat(HpaSpecs.covers(omitted, ScalingFixtures.json("{spec: {metrics: []}}"), ""))
        .isFalse();
  }

  private static HorizontalPodAutoscalerBuilder edit(HorizontalPodAutoscaler h) {
    return new HorizontalPodAutoscalerBuilder(h);
  }

  private static void assertDrift(
      HorizontalPodAutoscaler desired,
      HorizontalPodAutoscaler server,
      UnaryOperator<HorizontalPodAutoscaler> change) {
    HorizontalPodAutoscaler copy = new HorizontalPodAutoscalerBuilder(server).build();
    assertThat(HpaSpecs.needsUpdate(desired, change.apply(copy))).isTrue();
  }

  /**
   * The desired HPA (KAFKA_LAG policy) as a kube-apiserver returns it after a create (written by
   * hand after 1.34's output; HpaSpecsIT checks against the real server): server-set metadata,
   * managedFields, status, the quantity in canonical form ("1000" becomes "1k"), and fields its
   * newer schema knows that the Fabric8 model does not ({@code tolerance}).
   */
  static final String SERVER_RESPONSE =
      """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata:
        name: ticker
        namespace: flink
        uid: 5b0c7a7e-3f0e-4a55-9d5c-0d6f1f3a2b11
        resourceVersion: "48213"
        generation: 1
        creationTimestamp: "2026-11-21T18:00:00Z"
        labels:
          app.kubernetes.io/managed-by: flinkspot
          flinkspot.dev/flinkdeployment: ticker
        ownerReferences:
          - apiVersion: flink.apache.org/v1beta1
            kind: FlinkDeployment
            name: ticker
            uid: "1234"
            controller: true
            blockOwnerDeletion: true
        managedFields:
          - manager: flinkspot
            operation: Update
            apiVersion: autoscaling/v2
            time: "2026-11-21T18:00:00Z"
            fieldsType: FieldsV1
            fieldsV1: {"f:spec": {"f:maxReplicas": {}}}
      spec:
        scaleTargetRef:
          apiVersion: flink.apache.org/v1beta1
          kind: FlinkDeployment
          name: ticker
        minReplicas: 2
        maxReplicas: 10
        metrics:
          - type: Resource
            resource:
              name: cpu
              target: {type: Utilization, averageUtilization: 65}
          - type: External
            external:
              metric:
                name: kafka_consumergroup_lag_sum
                selector: {matchLabels: {consumergroup: ticker, topic: ticks}}
              target: {type: AverageValue, averageValue: 1k}
        behavior:
          scaleUp:
            stabilizationWindowSeconds: 0
            selectPolicy: Max
            tolerance: "0.1"
            policies:
              - {type: Pods, value: 4, periodSeconds: 60}
              - {type: Percent, value: 100, periodSeconds: 60}
          scaleDown:
            stabilizationWindowSeconds: 300
            selectPolicy: Max
            policies:
              - {type: Pods, value: 1, periodSeconds: 300}
              - {type: Percent, value: 25, periodSeconds: 300}
      status:
        currentReplicas: 2
        desiredReplicas: 2
        currentMetrics: null
        conditions:
          - type: AbleToScale
            status: "True"
            reason: SucceededGetScale
            lastTransitionTime: "2026-11-21T18:00:15Z"
      """;
}
