package dev.flinkspot.plan;

import java.util.List;
import java.util.Map;

/**
 * The labels and taints of one kind of node, from an eksctl node group or a Karpenter NodePool:
 * what a policy's node selector and tolerations must agree with.
 */
public record NodePool(String name, Map<String, String> labels, List<Taint> taints) {

  public NodePool {
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }

  /** A node taint: key, value (may be empty) and effect. */
  public record Taint(String key, String value, String effect) {

    /** A taint as eksctl and Karpenter write it: {@code {key, value, effect}}. */
    static Taint of(com.fasterxml.jackson.databind.JsonNode taint) {
      return new Taint(
          taint.path("key").asText(),
          taint.path("value").asText(""),
          taint.path("effect").asText());
    }

    @Override
    public String toString() {
      return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect;
    }
  }
}
