package dev.flinkspot.controller;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the per-deployment Prometheus series of one family ({@code cost}: 6 per deployment, {@code
 * hpa}: 4): each series is a meter of about 570 bytes in the Prometheus registry (measured with
 * Micrometer 1.15), so 10,000 deployments cost about 55 MB of the controller's 384 MB heap, and
 * every scrape renders them all. The first {@code --metrics-max-deployments} ({@link
 * ControllerConfig#metricsMaxDeployments()}, 2,000 by default) deployments get their series, the
 * others none (first come, first served; a slot freed by a deployment that goes is taken by the
 * next one updated), counted by {@code flinkspot_metrics_deployments_unexported{family}} and said
 * once in the log. Their FlinkCostReports and HPAs are kept all the same.
 */
final class SeriesCap {

  private static final Logger LOG = LoggerFactory.getLogger(SeriesCap.class);

  /** Deployments with series per family by default: about 11 MB of meters for both families. */
  static final int DEFAULT_MAX = ControllerConfig.DEFAULT_METRICS_MAX_DEPLOYMENTS;

  static final String UNEXPORTED = "flinkspot_metrics_deployments_unexported";

  private final String family;
  private final int max;
  private final Set<String> unexported = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean said = new AtomicBoolean();

  SeriesCap(MeterRegistry registry, String family, int max) {
    this.family = family;
    this.max = max;
    Gauge.builder(UNEXPORTED, unexported, Set::size)
        .description("governed deployments over the cap that have no series of this family")
        .tag("family", family)
        .register(registry);
  }

  /** Whether {@code deployment} may have series now that {@code exported} deployments have them. */
  boolean admits(String deployment, int exported) {
    if (exported < max) {
      unexported.remove(deployment);
      return true;
    }
    if (unexported.add(deployment) && !said.getAndSet(true)) {
      LOG.warn(
          "{} deployments have {} series already: {} and any further ones get none (their reports"
              + " and HPAs are kept; see {})",
          max,
          family,
          deployment,
          UNEXPORTED);
    }
    return false;
  }

  /** {@code deployment} is gone (or has left its policy). */
  void removed(String deployment) {
    unexported.remove(deployment);
  }
}
