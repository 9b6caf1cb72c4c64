package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.FlinkSpotPolicySpec.Toleration;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.SpotMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns a policy into the placement each component's pod template should carry. */
public final class DesiredPlacement {

  public static final String DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";

  /** On both components' pods: the controller's pod informer selects on it. */
  static final Map<String, String> GOVERNED = Map.of(Names.GOVERNED_LABEL, Names.GOVERNED);

  private DesiredPlacement() {}

  /** JobManager placement: On-Demand required, pool selector, tolerations, do-not-disrupt. */
  public static ComponentPlacement jobManager(PlacementPolicy policy) {
    var jm = policy.jobManager();
    List<NodeRequirement> required = new ArrayList<>();
    required.add(NodeRequirement.in(policy.capacityKey(), policy.onDemandValues()));
    required.addAll(selectorRequirements(jm.nodeSelector()));
    return new ComponentPlacement(
        List.copyOf(required),
        List.of(),
        tolerations(jm.tolerations()),
        List.of(),
        jm.priorityClassName(),
        jm.doNotDisrupt() ? Map.of(DO_NOT_DISRUPT, "true") : Map.of(),
        GOVERNED);
  }

  /** TaskManager placement: Spot required or preferred, pool selector, spread, tolerations. */
  public static ComponentPlacement taskManager(PlacementPolicy policy, String deploymentName) {
    var tm = policy.taskManager();
    List<NodeRequirement> required = new ArrayList<>();
    List<NodeRequirement> preferred = new ArrayList<>();
    if (tm.spot() == SpotMode.Required) {
      required.add(NodeRequirement.in(policy.capacityKey(), policy.spotValues()));
    } else {
      List<String> either = new ArrayList<>(policy.spotValues());
      either.addAll(policy.onDemandValues());
      required.add(NodeRequirement.in(policy.capacityKey(), either));
      preferred.add(NodeRequirement.in(policy.capacityKey(), policy.spotValues()));
    }
    required.addAll(selectorRequirements(tm.nodeSelector()));
    List<ObjectNode> spread = new ArrayList<>();
    for (String key : tm.spread().topologyKeys()) {
      ObjectNode c = JsonNodeFactory.instance.objectNode();
      c.put("maxSkew", tm.spread().maxSkew());
      c.put("topologyKey", key);
      c.put("whenUnsatisfiable", tm.spread().whenUnsatisfiable());
      ObjectNode labels = c.putObject("labelSelector").putObject("matchLabels");
      labels.put("app", deploymentName);
      labels.put("component", Component.TASK_MANAGER.podComponentLabel());
      spread.add(c);
    }
    return new ComponentPlacement(
        List.copyOf(required),
        List.copyOf(preferred),
        tolerations(tm.tolerations()),
        List.copyOf(spread),
        tm.priorityClassName(),
        Map.of(),
        GOVERNED);
  }

  /** The placement for one component. */
  public static ComponentPlacement of(
      Component component, PlacementPolicy policy, String deploymentName) {
    return component == Component.JOB_MANAGER
        ? jobManager(policy)
        : taskManager(policy, deploymentName);
  }

  /** The capacity values a component must be able to run on. */
  public static ComponentPlacement.Capacity capacity(Component component, PlacementPolicy policy) {
    return new ComponentPlacement.Capacity(
        policy.capacityKey(),
        component == Component.JOB_MANAGER ? policy.onDemandValues() : policy.spotValues());
  }

  private static List<NodeRequirement> selectorRequirements(Map<String, String> selector) {
    List<NodeRequirement> out = new ArrayList<>();
    new TreeMap<>(selector).forEach((k, v) -> out.add(NodeRequirement.in(k, List.of(v))));
    return out;
  }

  static List<ObjectNode> tolerations(List<Toleration> tolerations) {
    List<ObjectNode> out = new ArrayList<>();
    for (Toleration t : tolerations) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      if (t.key() != null) {
        node.put("key", t.key());
      }
      node.put("operator", t.operator() == null ? "Equal" : t.operator());
      if (t.value() != null) {
        node.put("value", t.value());
      }
      if (t.effect() != null) {
        node.put("effect", t.effect());
      }
      if (t.tolerationSeconds() != null) {
        node.put("tolerationSeconds", t.tolerationSeconds());
      }
      out.add(node);
    }
    return List.copyOf(out);
  }
}
