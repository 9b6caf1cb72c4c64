package dev.flinkspot.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Small helpers to read and build Jackson trees along a path of field names. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The node at the path, or a missing node. */
  public static JsonNode at(JsonNode root, String... path) {
    return at(root, List.of(path));
  }

  /** The node at the path, or a missing node. */
  public static JsonNode at(JsonNode root, List<String> path) {
    JsonNode node = root == null ? MissingNode.getInstance() : root;
    for (String field : path) {
      node = node.path(field);
    }
    return node;
  }

  /** The object child {@code field}, created (replacing a null) when absent. */
  public static ObjectNode object(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    if (child instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  /** The array at the path, created with its parent objects when absent. */
  public static ArrayNode array(ObjectNode root, List<String> path) {
    ObjectNode node = root;
    for (String field : path.subList(0, path.size() - 1)) {
      node = object(node, field);
    }
    String last = path.get(path.size() - 1);
    JsonNode child = node.get(last);
    if (child instanceof ArrayNode a) {
      return a;
    }
    return node.putArray(last);
  }
}
