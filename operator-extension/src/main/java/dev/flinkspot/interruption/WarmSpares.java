package dev.flinkspot.interruption;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * On a notice, whether the deployment's warm spares ({@code taskManager.spare}) can take the
 * replacement TaskManager at once: a placeholder counts when it is Ready, not being deleted, and
 * not on the node being reclaimed (it would go with it). Pure; the Event wording too.
 */
public final class WarmSpares {

  private WarmSpares() {}

  /** Placeholders of {@code placeholders} that a replacement for {@code node} can preempt. */
  public static int usable(List<Pod> placeholders, String node) {
    return (int)
        placeholders.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
            .filter(p -> !p.getSpec().getNodeName().equals(node))
            .filter(WarmSpares::isReady)
            .count();
  }

  /** Whether the pod's Ready condition is True. */
  public static boolean isReady(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code ReplacementReady}: a placeholder elsewhere will be preempted for the replacement. */
  public static String ready(String node, int usable, int wanted) {
    return usable
        + " of "
        + wanted
        + " warm spare placeholder(s) ready off node "
        + node
        + ": a replacement TaskManager preempts one and starts at once";
  }

  /** {@code ReplacementPending}: none is ready elsewhere, so the replacement waits for a node. */
  public static String pending(String node, int wanted) {
    return "none of "
        + wanted
        + " warm spare placeholder(s) is ready off node "
        + node
        + " (still pending, already preempted, or on that node): a replacement TaskManager"
        + " waits for new capacity; raise taskManager.spare or check why placeholders are"
        + " Pending (kubectl get pods -l flinkspot.dev/spare-for)";
  }
}
