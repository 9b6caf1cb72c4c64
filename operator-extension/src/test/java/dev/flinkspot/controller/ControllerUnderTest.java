package dev.flinkspot.controller;

import dev.flinkspot.kube.KubeEventRecorder;
import dev.flinkspot.policy.FlinkSpotPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's reconcilers wired to any {@link KubernetesClient} (mock server or a real API
 * server), driven synchronously: {@link #settle} is one full pass, as the work queue would run it.
 */
public final class ControllerUnderTest {

  final KubernetesClient client;
  final PolicyIndex index = new PolicyIndex();
  final FlinkDeploymentReconciler deployments;
  final PolicyReconciler policies;

  public ControllerUnderTest(KubernetesClient client) {
    this.client = client;
    var events = new KubeEventRecorder(client, "flinkspot-controller", "test", Clock.systemUTC());
    this.deployments = new FlinkDeploymentReconciler(client, index, events);
    this.policies =
        new PolicyReconciler(index, new PolicyStatusRecorder(client), events, Clock.systemUTC());
  }

  /** One pass over everything in {@code namespace}; returns how each deployment was handled. */
  public Map<FlinkDeploymentReconciler.Result, Integer> settle(String namespace) {
    List<FlinkSpotPolicy> all =
        client.resources(FlinkSpotPolicy.class).inNamespace(namespace).list().getItems();
    all.forEach(index::put);
    Map<FlinkDeploymentReconciler.Result, Integer> results =
        new EnumMap<>(FlinkDeploymentReconciler.Result.class);
    List<GenericKubernetesResource> fds =
        new ArrayList<>(FlinkDeployments.in(client).inNamespace(namespace).list().getItems());
    for (GenericKubernetesResource d : fds) {
      results.merge(deployments.reconcile(d), 1, Integer::sum);
    }
    for (FlinkSpotPolicy p : all) {
      policies.reconcile(p, fds);
    }
    return results;
  }
}
