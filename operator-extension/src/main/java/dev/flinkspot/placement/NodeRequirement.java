package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One node selector requirement ({@code key operator values}), as in a nodeSelectorTerm. */
public record NodeRequirement(String key, String operator, List<String> values) {

  public static NodeRequirement in(String key, List<String> values) {
    return new NodeRequirement(key, "In", List.copyOf(values));
  }

  /** The JSON form written into a pod template. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("key", key);
    node.put("operator", operator);
    var array = node.putArray("values");
    values.forEach(array::add);
    return node;
  }

  /** Whether a matchExpression already says the same thing (values compared as a set). */
  public boolean sameAs(JsonNode expression) {
    return key.equals(expression.path("key").asText(null))
        && operator.equals(expression.path("operator").asText(null))
        && Set.copyOf(values).equals(valuesOf(expression));
  }

  static Set<String> valuesOf(JsonNode expression) {
    Set<String> out = new HashSet<>();
    expression.path("values").forEach(v -> out.add(v.asText()));
    return out;
  }
}
