package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.nodes.EksctlNodeGroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan package's extra accessors on eksctl node groups (zones, taints, pools); the fields the
 * cost engine also reads (groups, name, pool label, Spot, instance types) come from {@link
 * EksctlNodeGroups}, the one reader of a ClusterConfig's node groups.
 */
final class EksctlGroups {

  private EksctlGroups() {}

  static List<JsonNode> inPool(List<JsonNode> groups, String pool) {
    return groups.stream().filter(g -> EksctlNodeGroups.poolName(g).equals(pool)).toList();
  }

  /** The group's zones, or the cluster's when the group names none. */
  static List<String> zones(JsonNode group, JsonNode config) {
    JsonNode zones =
        group.has("availabilityZones")
            ? group.path("availabilityZones")
            : config.path("availabilityZones");
    List<String> list = new ArrayList<>();
    zones.forEach(z -> list.add(z.asText()));
    return list;
  }

  /** eksctl taints: a list of {key, value, effect} (the older map form is read too). */
  static List<NodePool.Taint> taints(JsonNode group) {
    List<NodePool.Taint> taints = new ArrayList<>();
    JsonNode node = group.path("taints");
    if (node.isArray()) {
      node.forEach(t -> taints.add(NodePool.Taint.of(t)));
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                String[] valueEffect = e.getValue().asText().split(":", 2);
                taints.add(
                    new NodePool.Taint(
                        e.getKey(), valueEffect[0], valueEffect.length > 1 ? valueEffect[1] : ""));
              });
    }
    return taints;
  }

  static NodePool pool(JsonNode group) {
    Map<String, String> labels = new LinkedHashMap<>();
    group
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new NodePool(EksctlNodeGroups.name(group), labels, taints(group));
  }
}
