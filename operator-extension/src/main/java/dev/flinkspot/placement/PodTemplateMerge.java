package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Adds a {@link ComponentPlacement} to a component pod template. It only appends: it never removes,
 * reorders or edits an entry the user wrote, and adding what is already there changes nothing.
 *
 * <p>The Flink operator merges {@code spec.podTemplate} (the "top" template) with the component
 * template, and merges arrays whose elements have no {@code name} (tolerations, nodeSelectorTerms,
 * topologySpreadConstraints) by position, with or without {@code
 * kubernetes.operator.pod-template.merge-arrays-by-name}. So when the component template has no
 * array of its own but the top template has one, the component array is seeded with a copy of the
 * top array before appending: position i then merges an element with itself. When both have the
 * array and the top one is longer, appended entries would be merged into the user's top entries:
 * that is reported as unsafe and nothing is written.
 */
public final class PodTemplateMerge {

  private PodTemplateMerge() {}

  /**
   * Adds the placement to {@code template} (the component pod template, mutated).
   *
   * @return empty when done (possibly with no change), or why it cannot be done safely
   */
  public static Optional<String> apply(
      ObjectNode template, JsonNode topTemplate, ComponentPlacement placement) {
    JsonNode top = topTemplate == null ? MissingNode.getInstance() : topTemplate;
    Optional<String> unsafe = Optional.empty();

    if (!placement.required().isEmpty()) {
      unsafe = or(unsafe, required(template, top, placement.required()));
    }
    if (!placement.preferred().isEmpty()) {
      ObjectNode term = Json.MAPPER.createObjectNode();
      term.put("weight", 100);
      ArrayNode exprs = term.putObject("preference").putArray("matchExpressions");
      placement.preferred().forEach(r -> exprs.add(r.toJson()));
      unsafe =
          or(
              unsafe,
              appendMissing(
                  template,
                  top,
                  List.of(
                      "spec",
                      "affinity",
                      "nodeAffinity",
                      "preferredDuringSchedulingIgnoredDuringExecution"),
                  List.of(term),
                  (have, want) -> samePreference(have, placement.preferred())));
    }
    unsafe =
        or(
            unsafe,
            appendMissing(
                template,
                top,
                List.of("spec", "tolerations"),
                placement.tolerations(),
                PodTemplateMerge::sameToleration));
    unsafe =
        or(
            unsafe,
            appendMissing(
                template,
                top,
                List.of("spec", "topologySpreadConstraints"),
                placement.spread(),
                (have, want) ->
                    want.path("topologyKey")
                        .asText()
                        .equals(have.path("topologyKey").asText(null))));
    if (placement.priorityClassName() != null
        && Json.at(template, "spec", "priorityClassName").isMissingNode()
        && Json.at(top, "spec", "priorityClassName").isMissingNode()) {
      Json.object(template, "spec").put("priorityClassName", placement.priorityClassName());
    }
    putMissing(template, top, "annotations", placement.annotations());
    putMissing(template, top, "labels", placement.labels());
    return unsafe;
  }

  /** Sets each metadata entry (annotation or label) the user set in neither template. */
  private static void putMissing(
      ObjectNode template, JsonNode top, String field, java.util.Map<String, String> entries) {
    for (var entry : entries.entrySet()) {
      if (Json.at(template, "metadata", field, entry.getKey()).isMissingNode()
          && Json.at(top, "metadata", field, entry.getKey()).isMissingNode()) {
        Json.object(Json.object(template, "metadata"), field).put(entry.getKey(), entry.getValue());
      }
    }
  }

  /** Adds each requirement to every required nodeSelectorTerm (creating one if there is none). */
  private static Optional<String> required(
      ObjectNode template, JsonNode top, List<NodeRequirement> requirements) {
    List<String> path =
        List.of(
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms");
    JsonNode own = Json.at(template, path);
    JsonNode inherited = Json.at(top, path);
    boolean hasOwn = own.isArray() && !own.isEmpty();
    JsonNode effective = hasOwn ? own : inherited;

    if (effective.isArray() && !effective.isEmpty()) {
      boolean missing = false;
      for (JsonNode term : effective) {
        for (NodeRequirement r : requirements) {
          missing |= !contains(term.path("matchExpressions"), r);
        }
      }
      if (!missing) {
        return Optional.empty();
      }
      if (hasOwn && inherited.isArray() && inherited.size() > own.size()) {
        return Optional.of(unsafeMessage(path, inherited.size(), own.size()));
      }
      if (hasOwn) {
        for (int i = 0; i < own.size() && i < inherited.size(); i++) {
          if (inherited.get(i).path("matchExpressions").size()
              > own.get(i).path("matchExpressions").size()) {
            return Optional.of(
                "nodeSelectorTerms["
                    + i
                    + "] of spec.podTemplate has more matchExpressions than the component's own;"
                    + " an added requirement would be merged into the user's by position");
          }
        }
      }
    }
    ArrayNode terms = Json.array(template, path);
    if (terms.isEmpty()) {
      if (inherited.isArray() && !inherited.isEmpty()) {
        inherited.forEach(t -> terms.add(t.deepCopy()));
      } else {
        terms.addObject();
      }
    }
    for (JsonNode term : terms) {
      ArrayNode exprs = Json.array((ObjectNode) term, List.of("matchExpressions"));
      for (NodeRequirement r : requirements) {
        if (!contains(exprs, r)) {
          exprs.add(r.toJson());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean contains(JsonNode expressions, NodeRequirement r) {
    for (JsonNode e : expressions) {
      if (r.sameAs(e)) {
        return true;
      }
    }
    return false;
  }

  /** Appends each wanted element for which no element of the effective array matches. */
  private static Optional<String> appendMissing(
      ObjectNode template,
      JsonNode top,
      List<String> path,
      List<ObjectNode> wanted,
      BiPredicate<JsonNode, JsonNode> matches) {
    if (wanted.isEmpty()) {
      return Optional.empty();
    }
    JsonNode own = Json.at(template, path);
    JsonNode inherited = Json.at(top, path);
    boolean hasOwn = own.isArray() && !own.isEmpty();
    JsonNode effective = hasOwn ? own : inherited;
    List<ObjectNode> missing = new ArrayList<>();
    for (ObjectNode w : wanted) {
      boolean found = false;
      for (JsonNode have : effective) {
        found |= matches.test(have, w);
      }
      if (!found) {
        missing.add(w);
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    if (hasOwn && inherited.isArray() && inherited.size() > own.size()) {
      return Optional.of(unsafeMessage(path, inherited.size(), own.size()));
    }
    ArrayNode array = Json.array(template, path);
    if (array.isEmpty() && inherited.isArray()) {
      inherited.forEach(e -> array.add(e.deepCopy()));
    }
    missing.forEach(m -> array.add(m.deepCopy()));
    return Optional.empty();
  }

  private static String unsafeMessage(List<String> path, int topSize, int ownSize) {
    return String.join(".", path)
        + " has "
        + topSize
        + " entries in spec.podTemplate but "
        + ownSize
        + " in the component template; the Flink operator merges these by position, so an added"
        + " entry would be merged into the user's";
  }

  static boolean sameToleration(JsonNode have, JsonNode want) {
    return Objects.equals(text(have, "key"), text(want, "key"))
        && Objects.equals(operator(have), operator(want))
        && Objects.equals(text(have, "value"), text(want, "value"))
        && Objects.equals(text(have, "effect"), text(want, "effect"))
        && Objects.equals(
            have.path("tolerationSeconds").asText(""), want.path("tolerationSeconds").asText(""));
  }

  private static boolean samePreference(JsonNode have, List<NodeRequirement> preferred) {
    JsonNode exprs = have.path("preference").path("matchExpressions");
    for (NodeRequirement r : preferred) {
      if (!contains(exprs, r)) {
        return false;
      }
    }
    return true;
  }

  private static String text(JsonNode node, String field) {
    String value = node.path(field).asText("");
    return value;
  }

  private static String operator(JsonNode toleration) {
    String op = toleration.path("operator").asText("");
    return op.isEmpty() ? "Equal" : op;
  }

  private static Optional<String> or(Optional<String> first, Optional<String> second) {
    return first.isPresent() ? first : second;
  }
}
