package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.flink.FlinkConfiguration;

/**
 * The FlinkDeployment an HPA scales, and the two numbers that bound what it can use.
 *
 * @param slotsPerTaskManager {@code taskmanager.numberOfTaskSlots}
 * @param maxParallelism {@code pipeline.max-parallelism}, or Flink's default when unset
 */
public record ScaleTarget(
    String namespace, String name, String uid, int slotsPerTaskManager, int maxParallelism) {

  public ScaleTarget {
    if (slotsPerTaskManager < 1 || maxParallelism < 1) {
      throw new IllegalArgumentException(
          "slots and max parallelism must be positive: "
              + slotsPerTaskManager
              + ", "
              + maxParallelism);
    }
  }

  /** The target read from a raw FlinkDeployment (with metadata and spec). */
  public static ScaleTarget of(JsonNode deployment) {
    JsonNode metadata = deployment.path("metadata");
    FlinkConfiguration conf = FlinkConfiguration.of(deployment);
    return new ScaleTarget(
        metadata.path("namespace").asText(null),
        metadata.path("name").asText(),
        metadata.path("uid").asText(null),
        conf.slots(),
        conf.maxParallelism());
  }

  /** The most TaskManagers whose slots the job can fill: floor(max parallelism / slots), >= 1. */
  public int usableTaskManagers() {
    return Math.max(1, maxParallelism / slotsPerTaskManager);
  }
}
