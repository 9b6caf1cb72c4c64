package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the Flink operator does with {@code spec.podTemplate} and a component template when arrays
 * merge by position (its default, and what it does for arrays without names): the effective
 * TaskManager template the warm spares copy their placement from, the test oracle for "the
 * placement survives the operator's merge", and how the scheduling ITs merge the templates before
 * rendering. Follows {@code FlinkUtils.mergePodTemplates} of flink-kubernetes-operator 1.10.0.
 */
public final class FlinkTemplateMerge {

  private FlinkTemplateMerge() {}

  public static JsonNode effective(JsonNode top, JsonNode component) {
    if (top == null || top.isMissingNode()) {
      return component;
    }
    if (component == null || component.isMissingNode()) {
      return top;
    }
    ObjectNode result = (ObjectNode) top.deepCopy();
    mergeInto(result, component);
    return result;
  }

  private static void mergeInto(JsonNode to, JsonNode from) {
    from.fields()
        .forEachRemaining(
            e -> {
              JsonNode toChild = to.get(e.getKey());
              if (toChild != null && toChild.isArray() && e.getValue().isArray()) {
                ArrayNode toArray = (ArrayNode) toChild;
                for (int i = 0; i < e.getValue().size(); i++) {
                  if (toArray.size() <= i) {
                    toArray.add(e.getValue().get(i).deepCopy());
                  } else if (toArray.get(i).isObject()) {
                    mergeInto(toArray.get(i), e.getValue().get(i));
                  } else {
                    toArray.set(i, e.getValue().get(i).deepCopy());
                  }
                }
              } else if (toChild != null && toChild.isObject()) {
                mergeInto(toChild, e.getValue());
              } else {
                ((ObjectNode) to).set(e.getKey(), e.getValue().deepCopy());
              }
            });
  }
}
