package dev.flinkspot.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch that turns one document into another. Arrays that only grew get {@code
 * add} operations for the new elements, so a patch never rewrites entries the user wrote.
 */
public final class JsonPatchDiff {

  private JsonPatchDiff() {}

  /** The operations turning {@code source} into {@code target}; empty when they are equal. */
  public static ArrayNode diff(JsonNode source, JsonNode target) {
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    diff(ops, "", source, target);
    return ops;
  }

  private static void diff(ArrayNode ops, String path, JsonNode source, JsonNode target) {
    if (source.equals(target)) {
      return;
    }
    if (source.isObject() && target.isObject()) {
      for (Iterator<String> it = source.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!target.has(field)) {
          ops.addObject().put("op", "remove").put("path", path + "/" + escape(field));
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
        var entry = it.next();
        String child = path + "/" + escape(entry.getKey());
        JsonNode before = source.get(entry.getKey());
        if (before == null) {
          add(ops, child, entry.getValue());
        } else {
          diff(ops, child, before, entry.getValue());
        }
      }
      return;
    }
    if (source.isArray() && target.isArray() && target.size() >= source.size()) {
      for (int i = 0; i < source.size(); i++) {
        diff(ops, path + "/" + i, source.get(i), target.get(i));
      }
      for (int i = source.size(); i < target.size(); i++) {
        add(ops, path + "/" + i, target.get(i));
      }
      return;
    }
    ObjectNode op = ops.addObject();
    op.put("op", "replace").put("path", path);
    op.set("value", target.deepCopy());
  }

  private static void add(ArrayNode ops, String path, JsonNode value) {
    ObjectNode op = ops.addObject();
    op.put("op", "add").put("path", path);
    op.set("value", value.deepCopy());
  }

  /** RFC 6901 escaping of one reference token. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
