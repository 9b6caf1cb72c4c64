package dev.flinkspot.controller;

import dev.flinkspot.kube.KubeEventRecorder;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.FlinkSpotPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's steps wired to any {@link KubernetesClient} (mock server or a real API server),
 * driven synchronously: {@link #settle} is one full pass, as the loops would run it. The placement
 * + HPA step is the loop's own {@link PlacementStep} and the policy status the loop's own {@link
 * PolicyReconciler} with the same {@link Writer}; only the caches are replaced by reads from the
 * API server, so every pass sees the latest state.
 */
public final class ControllerUnderTest {

  final KubernetesClient client;
  final PolicyIndex index = new PolicyIndex();
  final PlacementStep deployments;
  final PolicyReconciler policies;

  /** As the controller runs without its webhook ({@code --no-webhook}): no admission. */
  public ControllerUnderTest(KubernetesClient client) {
    this(client, false);
  }

  /**
   * @param admission whether an admission webhook runs (refusing what it denies)
   */
  public ControllerUnderTest(KubernetesClient client, boolean admission) {
    this.client = client;
    var events = new KubeEventRecorder(client, "flinkspot-controller", "test", Clock.systemUTC());
    var writer = new Writer(client);
    this.deployments =
        PlacementStep.of(writer, index, events, this::ourHpas, this::ourHpa, admission);
    this.policies = PolicyReconciler.of(writer, index, events, Clock.systemUTC(), admission);
  }

  /** One pass over everything in {@code namespace}; returns how each deployment was placed. */
  public Map<FlinkDeploymentReconciler.Result, Integer> settle(String namespace) {
    List<FlinkSpotPolicy> all =
        client.resources(FlinkSpotPolicy.class).inNamespace(namespace).list().getItems();
    all.forEach(index::put);
    Map<FlinkDeploymentReconciler.Result, Integer> results =
        new EnumMap<>(FlinkDeploymentReconciler.Result.class);
    List<GenericKubernetesResource> fds =
        new ArrayList<>(FlinkDeployments.in(client).inNamespace(namespace).list().getItems());
    for (GenericKubernetesResource d : fds) {
      results.merge(deployments.reconcile(d).placement(), 1, Integer::sum);
    }
    for (FlinkSpotPolicy p : all) {
      policies.reconcile(p, fds, this::ourHpa);
    }
    return results;
  }

  /** flinkspot's HPAs of a deployment, as the runtime's label-filtered informer holds them. */
  private List<HorizontalPodAutoscaler> ourHpas(String namespace, String deployment) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(namespace)
        .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
        .list()
        .getItems()
        .stream()
        .filter(h -> dev.flinkspot.scaling.HpaSpecs.targets(h, deployment))
        .toList();
  }

  private HorizontalPodAutoscaler ourHpa(String namespace, String name) {
    var hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(namespace)
            .withName(name)
            .get();
    return hpa != null && Names.managedByUs(hpa.getMetadata().getLabels()) ? hpa : null;
  }
}
