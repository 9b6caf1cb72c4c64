package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.policy.PlacementPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds user placement that contradicts the policy: a nodeSelector or required node affinity that
 * keeps a component off the capacity (or pool) the policy gives it, e.g. TaskManagers pinned to
 * On-Demand. Such a deployment is left as the user wrote it.
 */
public final class ConflictDetector {

  private ConflictDetector() {}

  /** A message per contradiction found in {@code spec.podTemplate} or the component template. */
  public static List<String> find(JsonNode spec, Component component, PlacementPolicy policy) {
    var capacity = DesiredPlacement.capacity(component, policy);
    List<NodeRequirement> musts = new ArrayList<>();
    musts.add(NodeRequirement.in(capacity.key(), capacity.primaryValues()));
    var selector =
        component == Component.JOB_MANAGER
            ? policy.jobManager().nodeSelector()
            : policy.taskManager().nodeSelector();
    selector.forEach((k, v) -> musts.add(NodeRequirement.in(k, List.of(v))));

    List<String> out = new ArrayList<>();
    check(out, "spec.podTemplate", Json.at(spec, "podTemplate"), component, musts);
    check(
        out,
        "spec." + component.specField() + ".podTemplate",
        Json.at(spec, component.specField(), "podTemplate"),
        component,
        musts);
    return out;
  }

  private static void check(
      List<String> out,
      String where,
      JsonNode template,
      Component component,
      List<NodeRequirement> musts) {
    JsonNode nodeSelector = Json.at(template, "spec", "nodeSelector");
    JsonNode terms =
        Json.at(
            template,
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms");
    for (NodeRequirement must : musts) {
      Set<String> allowed = Set.copyOf(must.values());
      JsonNode pinned = nodeSelector.path(must.key());
      if (pinned.isTextual() && !allowed.contains(pinned.asText())) {
        out.add(
            String.format(
                "%s.spec.nodeSelector pins the %s to %s=%s, but the policy needs %s in %s",
                where,
                component.podComponentLabel(),
                must.key(),
                pinned.asText(),
                must.key(),
                must.values()));
      }
      for (int i = 0; i < terms.size(); i++) {
        for (JsonNode expr : terms.get(i).path("matchExpressions")) {
          if (must.key().equals(expr.path("key").asText()) && excludes(expr, allowed)) {
            out.add(
                String.format(
                    "%s requires %s %s %s in nodeSelectorTerms[%d], which keeps the %s off %s %s",
                    where,
                    must.key(),
                    expr.path("operator").asText(),
                    NodeRequirement.valuesOf(expr),
                    i,
                    component.podComponentLabel(),
                    must.key(),
                    must.values()));
          }
        }
      }
    }
  }

  private static boolean excludes(JsonNode expr, Set<String> allowed) {
    Set<String> values = NodeRequirement.valuesOf(expr);
    return switch (expr.path("operator").asText()) {
      case "In" -> {
        Set<String> common = new HashSet<>(values);
        common.retainAll(allowed);
        yield common.isEmpty();
      }
      case "NotIn" -> values.containsAll(allowed);
      case "DoesNotExist" -> true;
      default -> false;
    };
  }
}
