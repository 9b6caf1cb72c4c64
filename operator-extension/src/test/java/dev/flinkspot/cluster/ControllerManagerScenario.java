package dev.flinkspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.scaling.ScaleTarget;
import dev.flinkspot.scaling.ScalingPolicy;
import dev.flinkspot.scaling.ScalingSpec;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.RepoRoot;
import dev.flinkspot.testing.kube.TestCluster;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real kube-controller-manager acting on FlinkDeployments: its garbage collector removes the HPA
 * and the cost report a FlinkDeployment owns (owner references) when it is deleted, and nothing
 * else; its HPA controller scales a FlinkDeployment through the scale subresource. Runs on the
 * locally built control plane ({@link ControllerManagerIT}) and on k3s ({@link
 * ControllerManagerK3sIT}).
 */
abstract class ControllerManagerScenario {

  private final TestCluster cluster;

  ControllerManagerScenario(TestCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * The Flink CRDs and the cost report CRD. The garbage collector discovers resource types at start
   * and then every 30 s, so the local control plane installs them before starting it.
   */
  static void installCrds(TestCluster cluster) {
    FlinkCrds.install(cluster.client());
    cluster
        .kubectl(
            "apply",
            "-f",
            RepoRoot.find().resolve("k8s/base/flinkcostreports.flinkspot.dev.yaml").toString())
        .orThrow();
    cluster
        .kubectl(
            "wait",
            "--for=condition=Established",
            "crd/flinkcostreports.flinkspot.dev",
            "--timeout=60s")
        .orThrow();
  }

  @BeforeEach
  void crds() {
    installCrds(cluster);
  }

  @Test
  void backgroundDeletionOfTheFlinkDeploymentRemovesItsHpaAndCostReport() {
    KubernetesClient client = cluster.client();
    GenericKubernetesResource owner = createFlinkDeployment(client, "gc-background");
    OwnerReference ref = controllerRef(owner);
    client.resource(hpa("gc-background", ref, 1)).create();
    costReports(client).resource(costReport("gc-background", ref)).create();
    client.resource(hpa("unowned", null, 1)).create();

    flinkDeployment(client, "gc-background")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();

    hpas(client, "gc-background").waitUntilCondition(h -> h == null, 90, TimeUnit.SECONDS);
    costReports(client)
        .withName("gc-background")
        .waitUntilCondition(c -> c == null, 90, TimeUnit.SECONDS);
    assertThat(hpas(client, "unowned").get()).as("an HPA nobody owns stays").isNotNull();
    hpas(client, "unowned").delete();
  }

  @Test
  void foregroundDeletionWaitsForTheDependentsThenRemovesTheFlinkDeployment() {
    KubernetesClient client = cluster.client();
    GenericKubernetesResource owner = createFlinkDeployment(client, "gc-foreground");
    client.resource(hpa("gc-foreground", controllerRef(owner), 1)).create();

    flinkDeployment(client, "gc-foreground")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();

    hpas(client, "gc-foreground").waitUntilCondition(h -> h == null, 90, TimeUnit.SECONDS);
    flinkDeployment(client, "gc-foreground")
        .waitUntilCondition(f -> f == null, 90, TimeUnit.SECONDS);
  }

  @Test
  void theHpaControllerScalesTheFlinkDeploymentThroughItsScaleSubresource() {
    KubernetesClient client = cluster.client();
    createFlinkDeployment(client, "hpa-min");
    cluster.kubectl(ScaleSubresourceScenario.operatorStatusPatch("hpa-min")).orThrow();

    // Below minReplicas the HPA controller scales up without needing any metrics.
    client.resource(hpa("hpa-min", null, 3)).create();

    flinkDeployment(client, "hpa-min")
        .waitUntilCondition(
            f -> Integer.valueOf(3).equals(f.get("spec", "taskManager", "replicas")),
            60,
            TimeUnit.SECONDS);
    hpas(client, "hpa-min")
        .waitUntilCondition(
            h ->
                h.getStatus() != null
                    && Integer.valueOf(3).equals(h.getStatus().getDesiredReplicas()),
            30,
            TimeUnit.SECONDS);
    hpas(client, "hpa-min").delete();
    flinkDeployment(client, "hpa-min").delete();
  }

  private static GenericKubernetesResource createFlinkDeployment(
      KubernetesClient client, String name) {
    return ScaleSubresourceScenario.createFlinkDeployment(client, name);
  }

  private static Resource<GenericKubernetesResource> flinkDeployment(
      KubernetesClient client, String name) {
    return client
        .genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment")
        .inNamespace("default")
        .withName(name);
  }

  private static Resource<HorizontalPodAutoscaler> hpas(KubernetesClient client, String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace("default")
        .withName(name);
  }

  /** The owner reference flinkspot itself puts on its HPA and its FlinkCostReport. */
  private static OwnerReference controllerRef(GenericKubernetesResource owner) {
    return OwnerReferences.flinkDeployment(
        owner.getMetadata().getName(), owner.getMetadata().getUid());
  }

  /**
   * The HPA flinkspot builds for the FlinkDeployment ({@link HpaSpecs#desired}), owned by it when
   * {@code owner} is given; with {@code owner} null, the same spec with no owner (nobody's).
   */
  private static HorizontalPodAutoscaler hpa(String name, OwnerReference owner, int minReplicas) {
    String uid = owner == null ? "none" : owner.getUid();
    var policy =
        ScalingPolicy.from(new ScalingSpec(true, minReplicas, 8, 70, null, null, null, null))
            .policy();
    HorizontalPodAutoscaler hpa =
        HpaSpecs.desired(new ScaleTarget("default", name, uid, 1, 128), policy).hpa();
    if (owner == null) {
      hpa.getMetadata().setOwnerReferences(List.of());
    } else {
      assertThat(hpa.getMetadata().getOwnerReferences()).containsExactly(owner);
    }
    return hpa;
  }

  /**
   * A FlinkCostReport (our CRD from k8s/base) owned by the FlinkDeployment, as the controller keeps
   * one.
   */
  private static GenericKubernetesResource costReport(String name, OwnerReference owner) {
    var report = new GenericKubernetesResource();
    report.setApiVersion("flinkspot.dev/v1alpha1");
    report.setKind("FlinkCostReport");
    report.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace("default")
            .withOwnerReferences(owner)
            .build());
    report.setAdditionalProperty("spec", java.util.Map.of("deployment", name));
    return report;
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      costReports(KubernetesClient client) {
    return client
        .genericKubernetesResources("flinkspot.dev/v1alpha1", "FlinkCostReport")
        .inNamespace("default");
  }
}
