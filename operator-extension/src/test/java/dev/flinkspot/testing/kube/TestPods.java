package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Flink pods as the operator labels them, bound straight to a node (no scheduler, no kubelet). */
public final class TestPods {

  private TestPods() {}

  /** Marks the pod Running and Ready, as a kubelet would once its container runs. */
  public static void markReady(
      io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String name) {
    TestNodes.retryOnConflict(
        () ->
            client
                .pods()
                .inNamespace(namespace)
                .withName(name)
                .editStatus(
                    pod -> {
                      pod.getStatus().setPhase("Running");
                      var conditions = new java.util.ArrayList<>(pod.getStatus().getConditions());
                      conditions.add(
                          new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                              .withType("Ready")
                              .withStatus("True")
                              .withLastTransitionTime(java.time.Instant.now().toString())
                              .build());
                      pod.getStatus().setConditions(conditions);
                      return pod;
                    }));
  }

  /** A pod with one Flink container requesting (and limited to) {@code cpu} and {@code memory}. */
  public static Pod bound(
      String namespace,
      String name,
      Map<String, String> labels,
      String node,
      String cpu,
      String memory) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("flink-main-container")
        .withImage("flink:1.20")
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .addToLimits("cpu", new Quantity(cpu))
        .addToLimits("memory", new Quantity(memory))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * A pod of the Flink operator's deployment {@code app}, with the labels it gives its pods and the
   * governed label it copies from a placed pod template ({@link
   * dev.flinkspot.kube.Names#GOVERNED_LABEL}).
   */
  public static Pod flink(
      String namespace,
      String name,
      String app,
      String component,
      String type,
      String node,
      String cpu,
      String memory) {
    return bound(
        namespace,
        name,
        Map.of(
            dev.flinkspot.cost.live.FlinkPods.APP,
            app,
            dev.flinkspot.cost.live.FlinkPods.COMPONENT,
            component,
            dev.flinkspot.cost.live.FlinkPods.TYPE,
            type,
            dev.flinkspot.kube.Names.GOVERNED_LABEL,
            dev.flinkspot.kube.Names.GOVERNED),
        node,
        cpu,
        memory);
  }
}
