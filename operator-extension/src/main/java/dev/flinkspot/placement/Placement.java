package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.policy.PlacementPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Spot/On-Demand placement is decided: a FlinkDeployment (raw JSON) and a policy in, the
 * FlinkDeployment with its JobManager and TaskManager pod templates placed out. Pure: no client, no
 * I/O, the input is never mutated.
 */
public final class Placement {

  private Placement() {}

  /** The outcome of placing one deployment. */
  public record Outcome(ObjectNode placed, List<String> conflicts, boolean changed) {
    public boolean conflicting() {
      return !conflicts.isEmpty();
    }
  }

  /**
   * Places a FlinkDeployment. With a conflict, the returned deployment equals the input and {@code
   * changed} is false.
   */
  public static Outcome place(JsonNode deployment, PlacementPolicy policy) {
    JsonNode spec = deployment.path("spec");
    String name = deployment.path("metadata").path("name").asText();
    List<String> conflicts = new ArrayList<>();
    for (Component c : Component.values()) {
      conflicts.addAll(ConflictDetector.find(spec, c, policy));
    }
    ObjectNode original = (ObjectNode) deployment;
    if (name.isEmpty()) {
      // generateName: the TaskManager spread selector (app=<name>) needs the final name, which
      // the API server assigns after admission; the reconciler places it once it exists.
      conflicts.add("metadata.name is not set yet (generateName); placed after creation");
    }
    if (!conflicts.isEmpty()) {
      return new Outcome(original, List.copyOf(conflicts), false);
    }
    ObjectNode placed = original.deepCopy();
    ObjectNode placedSpec = Json.object(placed, "spec");
    JsonNode top = placedSpec.path("podTemplate");
    for (Component c : Component.values()) {
      JsonNode existing = placedSpec.path(c.specField()).path("podTemplate");
      ObjectNode template =
          existing.isObject() ? (ObjectNode) existing.deepCopy() : Json.MAPPER.createObjectNode();
      PodTemplateMerge.apply(template, top, DesiredPlacement.of(c, policy, name))
          .ifPresent(conflicts::add);
      if (!template.equals(existing) && !(template.isEmpty() && existing.isMissingNode())) {
        Json.object(placedSpec, c.specField()).set("podTemplate", template);
      }
    }
    if (!conflicts.isEmpty()) {
      return new Outcome(original, List.copyOf(conflicts), false);
    }
    return new Outcome(placed, List.of(), !placed.equals(original));
  }
}
