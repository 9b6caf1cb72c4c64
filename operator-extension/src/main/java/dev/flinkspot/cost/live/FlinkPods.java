package dev.flinkspot.cost.live;

import dev.flinkspot.cost.live.ObservedPod.Component;
import dev.flinkspot.kube.Names;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * How the Apache Flink Kubernetes Operator (1.10) labels the pods of a FlinkDeployment, read from
 * its source: native mode uses Flink's {@code KubernetesUtils} selectors ({@code type:
 * flink-native-kubernetes}), standalone mode the operator's {@code StandaloneKubernetesUtils}
 * ({@code type: flink-standalone-kubernetes}); both add {@code app: <deployment name>} (the cluster
 * id) and {@code component: jobmanager|taskmanager}. flinkspot's warm-spare placeholders carry none
 * of these (so neither operator, nor the HPA's scale selector, nor a notice counts them), only
 * {@link Names#SPARE_FOR_LABEL}: they are priced as {@link Component#SPARE}.
 */
public final class FlinkPods {
  public static final String APP = "app";
  public static final String COMPONENT = "component";
  public static final String TYPE = "type";
  public static final String JOB_MANAGER = "jobmanager";
  public static final String TASK_MANAGER = "taskmanager";
  public static final String NATIVE = "flink-native-kubernetes";
  public static final String STANDALONE = "flink-standalone-kubernetes";

  /** The informer's selector: only Flink pods are cached, whatever else runs in the namespace. */
  public static final String SELECTOR =
      TYPE
          + " in ("
          + NATIVE
          + ","
          + STANDALONE
          + "),"
          + COMPONENT
          + " in ("
          + JOB_MANAGER
          + ","
          + TASK_MANAGER
          + "),"
          + APP;

  private FlinkPods() {}

  /** The deployment a Flink pod (a JobManager or TaskManager, not a spare) belongs to. */
  public static Optional<String> deploymentOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || component(labels).filter(c -> c != Component.SPARE).isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(labels.get(APP));
  }

  /**
   * The deployment whose cost report prices the pod: a Flink pod's, or the one a warm-spare
   * placeholder stands by for.
   */
  public static Optional<String> billedTo(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels != null && spare(labels)) {
      return Optional.of(labels.get(Names.SPARE_FOR_LABEL));
    }
    return deploymentOf(pod);
  }

  /** A placeholder of flinkspot's spare Deployment: ours, labelled with its deployment. */
  private static boolean spare(Map<String, String> labels) {
    return Names.managedByUs(labels)
        && labels.get(Names.SPARE_FOR_LABEL) != null
        && !labels.containsKey(COMPONENT);
  }

  private static Optional<Component> component(Map<String, String> labels) {
    if (spare(labels)) {
      return Optional.of(Component.SPARE);
    }
    String type = labels.get(TYPE);
    if (!NATIVE.equals(type) && !STANDALONE.equals(type)) {
      return Optional.empty();
    }
    String component = labels.get(COMPONENT);
    if (JOB_MANAGER.equals(component)) {
      return Optional.of(Component.JOB_MANAGER);
    }
    if (TASK_MANAGER.equals(component)) {
      return Optional.of(Component.TASK_MANAGER);
    }
    return Optional.empty();
  }

  /**
   * The pod as priced (a Flink pod or a warm-spare placeholder): its requests summed over its
   * containers (the API server copies limits into missing requests), and its node. Finished or
   * deleting pods free their node and are not priced.
   */
  public static Optional<ObservedPod> observe(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    Optional<Component> component = labels == null ? Optional.empty() : component(labels);
    if (component.isEmpty()) {
      return Optional.empty();
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase)
        || "Failed".equals(phase)
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    BigDecimal cpu = BigDecimal.ZERO;
    long memory = 0;
    if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        Map<String, Quantity> requests =
            c.getResources() == null ? null : c.getResources().getRequests();
        if (requests == null) {
          continue;
        }
        if (requests.get("cpu") != null) {
          cpu = cpu.add(requests.get("cpu").getNumericalAmount());
        }
        if (requests.get("memory") != null) {
          memory += requests.get("memory").getNumericalAmount().longValue();
        }
      }
    }
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return Optional.of(
        new ObservedPod(
            pod.getMetadata().getName(),
            component.get(),
            cpu,
            memory,
            nodeName == null || nodeName.isBlank() ? null : nodeName));
  }

  /**
   * Whether a deployment with these pods runs: at least one TaskManager is bound to a node (the
   * same test as a report's {@code NotRunning}).
   */
  public static boolean anyTaskManagerBound(java.util.Collection<Pod> pods) {
    return pods.stream()
        .map(FlinkPods::observe)
        .flatMap(Optional::stream)
        .anyMatch(p -> p.component() == Component.TASK_MANAGER && p.nodeName() != null);
  }

  public static ObservedNode observe(Node node) {
    return new ObservedNode(node.getMetadata().getName(), node.getMetadata().getLabels());
  }
}
