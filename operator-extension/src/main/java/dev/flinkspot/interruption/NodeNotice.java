package dev.flinkspot.interruption;

import dev.flinkspot.cost.live.FlinkPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a node's notice means for the deployments on it: one {@link Affected} per governed
 * FlinkDeployment with at least one TaskManager pod on the node, with the signal that counts under
 * its policy. A JobManager alone on the node is not affected (flinkspot keeps JobManagers on
 * On-Demand, and a checkpoint cannot save a JobManager), nor is an ungoverned deployment.
 */
public final class NodeNotice {

  /** A FlinkDeployment, by namespace and name. */
  public record DeploymentRef(String namespace, String name) implements Comparable<DeploymentRef> {
    @Override
    public int compareTo(DeploymentRef o) {
      int c = namespace.compareTo(o.namespace);
      return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * What the deployment's policy says about notices.
   *
   * @param rebalanceCounts NTH's rebalance recommendation counts as a notice
   * @param capacityKey the node label that tells Spot nodes (a cordon counts only on those)
   * @param spotValues its values that mean Spot
   */
  public record Handling(boolean rebalanceCounts, String capacityKey, List<String> spotValues) {}

  /** A governed deployment with TaskManagers on a node that shows a counted signal. */
  public record Affected(
      DeploymentRef deployment, String node, NoticeSignal signal, List<String> taskManagers) {}

  /** The label selector of the pods that matter: TaskManagers of both operator modes. */
  public static final String TASK_MANAGERS =
      FlinkPods.TYPE
          + " in ("
          + FlinkPods.NATIVE
          + ","
          + FlinkPods.STANDALONE
          + "),"
          + FlinkPods.COMPONENT
          + "="
          + FlinkPods.TASK_MANAGER
          + ","
          + FlinkPods.APP;

  private NodeNotice() {}

  /**
   * The deployments affected by {@code node}'s notice.
   *
   * @param podsOnNode the Flink pods bound to the node (any namespace)
   * @param governed a deployment's notice handling, or empty when no valid policy governs it
   */
  public static List<Affected> affected(
      Node node, List<Pod> podsOnNode, Function<DeploymentRef, Optional<Handling>> governed) {
    if (!NoticeSignal.mayShow(node)) {
      return List.of();
    }
    String nodeName = node.getMetadata().getName();
    List<Affected> out = new ArrayList<>();
    taskManagersByDeployment(podsOnNode)
        .forEach(
            (ref, tms) ->
                governed
                    .apply(ref)
                    .flatMap(
                        h ->
                            NoticeSignal.counted(
                                NoticeSignal.shownBy(node, h.capacityKey(), h.spotValues()),
                                h.rebalanceCounts()))
                    .ifPresent(s -> out.add(new Affected(ref, nodeName, s, tms))));
    return out;
  }

  /** Running (or terminating) TaskManager pods, by deployment, sorted by name. */
  static Map<DeploymentRef, List<String>> taskManagersByDeployment(List<Pod> pods) {
    Map<DeploymentRef, List<String>> out = new TreeMap<>();
    for (Pod pod : pods) {
      if (!isTaskManager(pod) || finished(pod)) {
        continue;
      }
      FlinkPods.deploymentOf(pod)
          .ifPresent(
              app ->
                  out.computeIfAbsent(
                          new DeploymentRef(pod.getMetadata().getNamespace(), app),
                          k -> new ArrayList<>())
                      .add(pod.getMetadata().getName()));
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  private static boolean isTaskManager(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels != null && FlinkPods.TASK_MANAGER.equals(labels.get(FlinkPods.COMPONENT));
  }

  /** A pod that has ended frees nothing to save; a terminating one still runs until it is gone. */
  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
