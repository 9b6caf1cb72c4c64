package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only accessors on the node groups of an eksctl ClusterConfig (as a JSON tree). */
final class EksctlGroups {

  private EksctlGroups() {}

  /** Managed and self-managed node groups, in file order. */
  static List<JsonNode> all(JsonNode config) {
    List<JsonNode> groups = new ArrayList<>();
    config.path("managedNodeGroups").forEach(groups::add);
    config.path("nodeGroups").forEach(groups::add);
    return groups;
  }

  static List<JsonNode> inPool(List<JsonNode> groups, String pool) {
    return groups.stream().filter(g -> poolName(g).equals(pool)).toList();
  }

  static String name(JsonNode group) {
    return group.path("name").asText("(unnamed)");
  }

  static String poolName(JsonNode group) {
    return group.path("labels").path(ClusterConfigRules.POOL_LABEL).asText("");
  }

  static boolean spot(JsonNode group) {
    return group.path("spot").asBoolean(false)
        || group
                .path("instancesDistribution")
                .path("onDemandPercentageAboveBaseCapacity")
                .asInt(100)
            == 0;
  }

  static List<String> instanceTypes(JsonNode group) {
    List<String> types = new ArrayList<>();
    group.path("instanceTypes").forEach(t -> types.add(t.asText()));
    if (group.hasNonNull("instanceType")) {
      types.add(group.get("instanceType").asText());
    }
    group.path("instancesDistribution").path("instanceTypes").forEach(t -> types.add(t.asText()));
    return types;
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
    return new NodePool(name(group), labels, taints(group));
  }
}
