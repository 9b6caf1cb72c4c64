package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What a policy wants in one component's pod template.
 *
 * @param required node requirements added to every required nodeSelectorTerm
 * @param preferred node requirements of one preferred scheduling term (weight 100), may be empty
 * @param tolerations tolerations in their JSON form
 * @param spread topology spread constraints in their JSON form
 * @param priorityClassName set when the user set none, may be null
 * @param annotations pod annotations set when the user set none of these keys
 * @param labels pod labels set when the user set none of these keys (the governed label)
 */
public record ComponentPlacement(
    List<NodeRequirement> required,
    List<NodeRequirement> preferred,
    List<ObjectNode> tolerations,
    List<ObjectNode> spread,
    String priorityClassName,
    Map<String, String> annotations,
    Map<String, String> labels) {

  /** The capacity values this component must run on (for conflict detection). */
  public record Capacity(String key, List<String> primaryValues) {}
}
