package dev.flinkspot.interruption;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;

/** Nodes and Flink pods as the API server shows them, for the notice decisions. */
final class NoticeFixtures {

  static final String EKS_CAPACITY = "eks.amazonaws.com/capacityType";
  static final NodeNotice.Handling EKS =
      new NodeNotice.Handling(false, EKS_CAPACITY, List.of("SPOT"));

  private NoticeFixtures() {}

  static Node node(String name, String capacity, boolean cordoned, Taint... taints) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of(EKS_CAPACITY, capacity))
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(cordoned ? Boolean.TRUE : null)
        .withTaints(taints)
        .endSpec()
        .build();
  }

  static Taint taint(String key, String value) {
    return new Taint("NoSchedule", key, null, value);
  }

  /** A pod labelled as the Flink operator labels native-mode pods. */
  static Pod flinkPod(String ns, String app, String component, String name, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(Map.of("app", app, "component", component, "type", "flink-native-kubernetes"))
        .endMetadata()
        .withNewSpec()
        .withNodeName("n1")
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }
}
