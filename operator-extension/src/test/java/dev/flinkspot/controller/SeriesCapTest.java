package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.kube.Names;
import dev.flinkspot.scaling.HpaSpecs;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SeriesCapTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void deploymentsOverTheCapHaveNoCostSeriesUntilASlotIsFree() {
    var metrics = new CostMetrics(registry, 2);
    var figures = new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5);

    metrics.update("flink", "a", figures);
    metrics.update("flink", "b", figures);
    metrics.update("flink", "c", figures);
    metrics.update("flink", "c", figures);

    assertThat(deployments(CostMetrics.TASK_MANAGERS)).isEqualTo(2);
    assertThat(unexported("cost")).isEqualTo(1.0);
    assertThat(registry.getMeters()).as("6 per deployment, and the count").hasSize(2 * 6 + 1);

    metrics.remove("flink", "a");
    metrics.update("flink", "c", figures);

    assertThat(registry.find(CostMetrics.TASK_MANAGERS).tag("deployment", "c").gauge()).isNotNull();
    assertThat(unexported("cost")).isEqualTo(0.0);
  }

  @Test
  void hpasOverTheCapHaveNoSeriesAndAGoneOneIsNotCounted() {
    var metrics = new HpaMetrics(registry, 1);

    metrics.update(hpa("a"));
    metrics.update(hpa("b"));

    assertThat(deployments("flinkspot_hpa_max_taskmanagers")).isEqualTo(1);
    assertThat(unexported("hpa")).isEqualTo(1.0);

    metrics.remove(hpa("b"));

    assertThat(unexported("hpa")).isEqualTo(0.0);
  }

  @Test
  void aCapOfZeroExportsNoPerDeploymentSeriesAndCountsEveryDeployment() {
    var cost = new CostMetrics(registry, 0);
    var hpas = new HpaMetrics(registry, 0);

    cost.update("flink", "a", new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5));
    hpas.update(hpa("a"));
    hpas.update(hpa("b"));

    assertThat(deployments(CostMetrics.TASK_MANAGERS)).isZero();
    assertThat(deployments("flinkspot_hpa_max_taskmanagers")).isZero();
    assertThat(unexported("cost")).isEqualTo(1.0);
    assertThat(unexported("hpa")).isEqualTo(2.0);
  }

  private long deployments(String series) {
    return registry.find(series).gauges().size();
  }

  private double unexported(String family) {
    return registry.find(SeriesCap.UNEXPORTED).tag("family", family).gauge().value();
  }

  private static HorizontalPodAutoscaler hpa(String deployment) {
    return new HorizontalPodAutoscalerBuilder()
        .withNewMetadata()
        .withNamespace("flink")
        .withName(deployment)
        .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
        .addToLabels(HpaSpecs.DEPLOYMENT_LABEL, deployment)
        .endMetadata()
        .withNewSpec()
        .withMaxReplicas(10)
        .endSpec()
        .build();
  }
}
