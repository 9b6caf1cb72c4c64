package dev.flinkspot.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;

/** Policies and FlinkDeployments for tests, written as YAML. */
public final class PolicyFixtures {

  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The example policy's spec: Karpenter-free EKS node groups, pools, tolerations. */
  public static final String SPOT_TASKMANAGERS =
      """
      capacityLabels:
        scheme: EksManagedNodeGroup
      jobManager:
        nodeSelector: {flinkspot.dev/pool: jobmanager}
        tolerations:
          - {key: flinkspot.dev/pool, operator: Equal, value: jobmanager, effect: NoSchedule}
        priorityClassName: flink-jobmanager
      taskManager:
        spot: Required
        nodeSelector: {flinkspot.dev/pool: taskmanager}
        tolerations:
          - {key: flinkspot.dev/pool, operator: Equal, value: taskmanager, effect: NoSchedule}
      """;

  private PolicyFixtures() {}

  public static FlinkSpotPolicySpec spec(String yaml) {
    try {
      return YAML.readValue(yaml, FlinkSpotPolicySpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static PlacementPolicy policy(String yaml) {
    var result = PlacementPolicy.from("spot-taskmanagers", spec(yaml));
    if (!result.valid()) {
      throw new IllegalArgumentException(result.invalidMessage());
    }
    return result.policy();
  }

  public static ObjectNode json(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (Exception e) {
      throw new UncheckedIOException(new java.io.IOException(e));
    }
  }

  /** A minimal FlinkDeployment named {@code ticker} with the given extra spec YAML. */
  public static ObjectNode deployment(String specYaml) {
    ObjectNode d =
        json(
            """
            apiVersion: flink.apache.org/v1beta1
            kind: FlinkDeployment
            metadata:
              name: ticker
              namespace: flink
              labels: {flinkspot.dev/policy: spot-taskmanagers}
            spec:
              flinkVersion: v1_20
              image: flink:1.20
              jobManager: {resource: {cpu: 1, memory: 2048m}}
              taskManager: {resource: {cpu: 2, memory: 4096m}}
            """);
    if (specYaml != null && !specYaml.isBlank()) {
      JsonNode extra = json(specYaml);
      merge((ObjectNode) d.get("spec"), extra);
    }
    return d;
  }

  private static void merge(ObjectNode into, JsonNode from) {
    from.fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = into.get(e.getKey());
              if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
              } else {
                into.set(e.getKey(), e.getValue());
              }
            });
  }
}
