package dev.flinkspot.controller;

import dev.flinkspot.desired.ScalingStatusReport;
import dev.flinkspot.scaling.HpaSpecs;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus gauges from flinkspot's HPAs, labelled {@code namespace} and {@code deployment}: the
 * TaskManagers the HPA sees and wants, its max, and whether it is held at a bound. Fed by the HPA
 * informer; a deleted HPA (the deployment left the policy, or was deleted) removes its gauges. At
 * most {@link ControllerConfig#metricsMaxDeployments()} (2,000 by default) deployments have them.
 */
final class HpaMetrics {

  /** What the gauges read; replaced on each HPA change. */
  record Values(double desired, double current, double max, double limited) {
    static Values of(HorizontalPodAutoscaler hpa) {
      var status = hpa.getStatus();
      boolean limited =
          status != null
              && status.getConditions() != null
              && status.getConditions().stream()
                  .anyMatch(
                      c ->
                          ScalingStatusReport.SCALING_LIMITED.equals(c.getType())
                              && "True".equals(c.getStatus()));
      return new Values(
          status == null || status.getDesiredReplicas() == null
              ? Double.NaN
              : status.getDesiredReplicas(),
          status == null || status.getCurrentReplicas() == null
              ? Double.NaN
              : status.getCurrentReplicas(),
          hpa.getSpec() == null || hpa.getSpec().getMaxReplicas() == null
              ? Double.NaN
              : hpa.getSpec().getMaxReplicas(),
          limited ? 1 : 0);
    }
  }

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Values>> values = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  private final SeriesCap cap;

  HpaMetrics(MeterRegistry registry) {
    this(registry, SeriesCap.DEFAULT_MAX);
  }

  /**
   * @param max deployments with series ({@link SeriesCap})
   */
  HpaMetrics(MeterRegistry registry, int max) {
    this.registry = registry;
    this.cap = new SeriesCap(registry, "hpa", max);
  }

  synchronized void update(HorizontalPodAutoscaler hpa) {
    String deployment = deploymentOf(hpa);
    if (deployment == null) {
      return;
    }
    String key = hpa.getMetadata().getNamespace() + "/" + deployment;
    Values now = Values.of(hpa);
    var holder = values.get(key);
    if (holder != null) {
      holder.set(now);
      return;
    }
    if (!cap.admits(key, values.size())) {
      return;
    }
    var ref = new AtomicReference<>(now);
    values.put(key, ref);
    Tags tags = Tags.of("namespace", hpa.getMetadata().getNamespace(), "deployment", deployment);
    meters.put(
        key,
        List.of(
            gauge(
                "flinkspot_hpa_desired_taskmanagers",
                "TaskManagers the HPA wants",
                ref,
                tags,
                Values::desired),
            gauge(
                "flinkspot_hpa_current_taskmanagers",
                "TaskManagers the HPA sees",
                ref,
                tags,
                Values::current),
            gauge(
                "flinkspot_hpa_max_taskmanagers", "the HPA's maxReplicas", ref, tags, Values::max),
            gauge(
                "flinkspot_hpa_scaling_limited",
                "1 while the HPA is held at a bound (ScalingLimited=True)",
                ref,
                tags,
                Values::limited)));
  }

  synchronized void remove(HorizontalPodAutoscaler hpa) {
    String deployment = deploymentOf(hpa);
    if (deployment == null) {
      return;
    }
    String key = hpa.getMetadata().getNamespace() + "/" + deployment;
    cap.removed(key);
    values.remove(key);
    List<Meter> gone = meters.remove(key);
    if (gone != null) {
      gone.forEach(registry::remove);
    }
  }

  private Meter gauge(
      String name,
      String description,
      AtomicReference<Values> ref,
      Tags tags,
      ToDoubleFunction<Values> read) {
    return Gauge.builder(name, ref, r -> read.applyAsDouble(r.get()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private static String deploymentOf(HorizontalPodAutoscaler hpa) {
    if (!HpaSpecs.isOurs(hpa)) {
      return null;
    }
    return hpa.getMetadata().getLabels().get(HpaSpecs.DEPLOYMENT_LABEL);
  }
}
