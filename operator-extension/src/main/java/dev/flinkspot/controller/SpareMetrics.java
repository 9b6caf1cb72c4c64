package dev.flinkspot.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus gauges of each deployment's warm spares, labelled {@code namespace} and {@code
 * deployment}: {@code flinkspot_spare_pods_desired} (the spare Deployment's replicas) and {@code
 * flinkspot_spare_pods_ready} (its ready placeholders; below desired while a placeholder was
 * preempted for a TaskManager and its successor waits for a node). Fed by the spare informer on
 * every replica; a deleted spare Deployment removes its gauges.
 */
final class SpareMetrics {

  private record Values(double desired, double ready) {}

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Values>> values = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  SpareMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized void update(Deployment spares, String deployment) {
    String key = spares.getMetadata().getNamespace() + "/" + deployment;
    var status = spares.getStatus();
    Values now =
        new Values(
            spares.getSpec() == null || spares.getSpec().getReplicas() == null
                ? 0
                : spares.getSpec().getReplicas(),
            status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas());
    var holder = values.get(key);
    if (holder != null) {
      holder.set(now);
      return;
    }
    var ref = new AtomicReference<>(now);
    values.put(key, ref);
    Tags tags = Tags.of("namespace", spares.getMetadata().getNamespace(), "deployment", deployment);
    meters.put(
        key,
        List.of(
            Gauge.builder("flinkspot_spare_pods_desired", ref, r -> r.get().desired())
                .description("warm spare placeholder pods wanted (taskManager.spare)")
                .tags(tags)
                .register(registry),
            Gauge.builder("flinkspot_spare_pods_ready", ref, r -> r.get().ready())
                .description("warm spare placeholder pods ready to be preempted by a TaskManager")
                .tags(tags)
                .register(registry)));
  }

  synchronized void remove(Deployment spares, String deployment) {
    String key = spares.getMetadata().getNamespace() + "/" + deployment;
    values.remove(key);
    List<Meter> gone = meters.remove(key);
    if (gone != null) {
      gone.forEach(registry::remove);
    }
  }
}
