package dev.flinkspot.controller;

import dev.flinkspot.policy.FlinkSpotPolicy;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A policy informer handler for loops whose work is per deployment: a policy created, deleted or
 * with a new spec (generation) changes what every deployment of its namespace should be, so the
 * namespace is handed on. Status-only updates (the policy status loop's own writes) are ignored.
 */
final class PolicySpecChanges implements ResourceEventHandler<FlinkSpotPolicy> {
  private final Consumer<String> namespaceChanged;

  PolicySpecChanges(Consumer<String> namespaceChanged) {
    this.namespaceChanged = namespaceChanged;
  }

  @Override
  public void onAdd(FlinkSpotPolicy p) {
    namespaceChanged.accept(p.getMetadata().getNamespace());
  }

  @Override
  public void onUpdate(FlinkSpotPolicy old, FlinkSpotPolicy p) {
    if (!Objects.equals(old.getMetadata().getGeneration(), p.getMetadata().getGeneration())) {
      namespaceChanged.accept(p.getMetadata().getNamespace());
    }
  }

  @Override
  public void onDelete(FlinkSpotPolicy p, boolean unknownFinalState) {
    namespaceChanged.accept(p.getMetadata().getNamespace());
  }
}
