package dev.flinkspot.controller;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The cost figures of each report as Prometheus series labelled {@code namespace}, {@code
 * deployment}; removed with the report so that a gone deployment leaves no stale series. The warm
 * spares' line ({@link #SPARE_PER_HOUR}) exists only for a deployment with placeholders: no series
 * for the many that keep none. At most {@link ControllerConfig#metricsMaxDeployments()} (2,000 by
 * default) deployments have them.
 */
final class CostMetrics {
  static final String SELF_MANAGED_PER_HOUR = "flinkspot_cost_self_managed_usd_per_hour";
  static final String MANAGED_PER_HOUR = "flinkspot_cost_msf_usd_per_hour";

  /** Counters: Prometheus exposes them with a {@code _total} suffix. */
  static final String SELF_MANAGED_ACCUMULATED = "flinkspot_cost_self_managed_accumulated_usd";

  static final String MANAGED_ACCUMULATED = "flinkspot_cost_msf_accumulated_usd";
  static final String TASK_MANAGERS = "flinkspot_cost_taskmanagers";
  static final String SPOT_SHARE = "flinkspot_cost_spot_share";

  /** The warm spares' share of their nodes, part of the self-managed run-rate. */
  static final String SPARE_PER_HOUR = "flinkspot_cost_spare_usd_per_hour";

  /**
   * Every series name as scraped for every report (the dashboard test checks its PromQL against
   * these); {@link #SPARE_PER_HOUR} besides for a deployment with spares.
   */
  static final List<String> EXPORTED =
      List.of(
          SELF_MANAGED_PER_HOUR,
          MANAGED_PER_HOUR,
          SELF_MANAGED_ACCUMULATED + "_total",
          MANAGED_ACCUMULATED + "_total",
          TASK_MANAGERS,
          SPOT_SHARE,
          SeriesCap.UNEXPORTED);

  /**
   * The current figures of one deployment.
   *
   * @param sparePerHour the warm spares' line; NaN when the deployment has no placeholder
   */
  record Figures(
      double selfManagedPerHour,
      double managedPerHour,
      double selfManagedAccumulated,
      double managedAccumulated,
      int taskManagers,
      double spotShare,
      double sparePerHour) {

    /** Figures of a deployment without warm spares. */
    Figures(
        double selfManagedPerHour,
        double managedPerHour,
        double selfManagedAccumulated,
        double managedAccumulated,
        int taskManagers,
        double spotShare) {
      this(
          selfManagedPerHour,
          managedPerHour,
          selfManagedAccumulated,
          managedAccumulated,
          taskManagers,
          spotShare,
          Double.NaN);
    }
  }

  private static final class Holder {
    volatile Figures figures;
    List<Meter> meters;
    Tags tags;
    Meter spare;
  }

  private final MeterRegistry registry;
  private final Map<String, Holder> byDeployment = new ConcurrentHashMap<>();
  private final SeriesCap cap;

  CostMetrics(MeterRegistry registry) {
    this(registry, SeriesCap.DEFAULT_MAX);
  }

  /**
   * @param max deployments with series ({@link SeriesCap})
   */
  CostMetrics(MeterRegistry registry, int max) {
    this.registry = registry;
    this.cap = new SeriesCap(registry, "cost", max);
  }

  synchronized void update(String namespace, String deployment, Figures figures) {
    String key = namespace + "/" + deployment;
    Holder holder = byDeployment.get(key);
    if (holder == null) {
      if (!cap.admits(key, byDeployment.size())) {
        return;
      }
      holder = register(namespace, deployment);
      byDeployment.put(key, holder);
    }
    holder.figures = figures;
    synchronized (holder) {
      boolean spares = !Double.isNaN(figures.sparePerHour());
      if (spares && holder.spare == null) {
        holder.spare =
            gauge(
                SPARE_PER_HOUR,
                "warm spare placeholders' share of their nodes, USD per hour (in self-managed)",
                holder,
                holder.tags,
                Figures::sparePerHour);
      } else if (!spares && holder.spare != null) {
        registry.remove(holder.spare);
        holder.spare = null;
      }
    }
  }

  synchronized void remove(String namespace, String deployment) {
    cap.removed(namespace + "/" + deployment);
    Holder holder = byDeployment.remove(namespace + "/" + deployment);
    if (holder != null) {
      holder.meters.forEach(registry::remove);
      synchronized (holder) {
        if (holder.spare != null) {
          registry.remove(holder.spare);
        }
      }
    }
  }

  private Holder register(String namespace, String deployment) {
    Holder h = new Holder();
    Tags tags = Tags.of("namespace", namespace, "deployment", deployment);
    h.tags = tags;
    h.meters =
        List.of(
            gauge(
                SELF_MANAGED_PER_HOUR,
                "self-managed run-rate, USD per hour",
                h,
                tags,
                Figures::selfManagedPerHour),
            gauge(
                MANAGED_PER_HOUR,
                "MSF run-rate for the same parallelism, USD per hour",
                h,
                tags,
                Figures::managedPerHour),
            FunctionCounter.builder(
                    SELF_MANAGED_ACCUMULATED,
                    h,
                    x -> x.figures == null ? 0 : x.figures.selfManagedAccumulated())
                .description("self-managed cost accumulated since the report began, USD")
                .tags(tags)
                .register(registry),
            FunctionCounter.builder(
                    MANAGED_ACCUMULATED,
                    h,
                    x -> x.figures == null ? 0 : x.figures.managedAccumulated())
                .description("MSF cost for the same parallelism over the same time, USD")
                .tags(tags)
                .register(registry),
            gauge(TASK_MANAGERS, "running TaskManager pods", h, tags, f -> f.taskManagers()),
            gauge(
                SPOT_SHARE,
                "share of TaskManagers on Spot nodes, 0..1",
                h,
                tags,
                Figures::spotShare));
    return h;
  }

  private Meter gauge(
      String name, String help, Holder h, Tags tags, ToDoubleFunction<Figures> value) {
    return Gauge.builder(
            name, h, x -> x.figures == null ? Double.NaN : value.applyAsDouble(x.figures))
        .description(help)
        .tags(tags)
        .register(registry);
  }
}
