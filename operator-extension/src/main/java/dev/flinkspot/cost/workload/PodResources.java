package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.apache.flink.kubernetes.operator.api.spec.Resource;

/**
 * The cpu and memory of a JobManager or TaskManager pod, from either form the Flink operator
 * accepts: the Kubernetes-style {@code resources} ({@code requests}, else {@code limits}, per key)
 * or the older {@code resource} ({@code cpu}, {@code memory}). When {@code resources} carries any
 * request or limit it wins and {@code resource} is ignored, as the operator does:
 * apache/flink-kubernetes-operator, flink-kubernetes-operator/.../config/FlinkConfigBuilder.java
 * {@code applyResourceConfig} and utils/ResourceConfigUtils.java {@code hasResourceRequirements},
 * {@code getRequestOrLimit} (main, 1.16-SNAPSHOT; its own examples/hpa/basic-hpa.yaml uses it).
 */
final class PodResources {
  private PodResources() {}

  /**
   * The pod shape; {@code resources} is the raw {@code spec.<component>.resources} node (missing
   * when unset), {@code resource} the model's {@code spec.<component>.resource}.
   */
  static PodShape shape(Resource resource, JsonNode resources, String subject, String component) {
    if (resources != null && hasRequirements(resources)) {
      return fromRequirements(resources, subject, "spec." + component + ".resources");
    }
    return fromResource(resource, subject, "spec." + component + ".resource");
  }

  private static boolean hasRequirements(JsonNode resources) {
    return nonEmptyObject(resources.path("requests")) || nonEmptyObject(resources.path("limits"));
  }

  private static boolean nonEmptyObject(JsonNode node) {
    return node.isObject() && !node.isEmpty();
  }

  /** {@code requests.<key>}, else {@code limits.<key>} (Kubernetes defaults requests to limits). */
  private static JsonNode requestOrLimit(JsonNode resources, String key) {
    JsonNode request = resources.path("requests").path(key);
    return request.isMissingNode() || request.isNull()
        ? resources.path("limits").path(key)
        : request;
  }

  private static PodShape fromRequirements(JsonNode resources, String subject, String field) {
    JsonNode cpu = requestOrLimit(resources, "cpu");
    JsonNode memory = requestOrLimit(resources, "memory");
    if (cpu.isMissingNode() || cpu.isNull()) {
      throw new UserInputException(
          subject + ": " + field + ".requests.cpu is missing: set it (e.g. \"1\" or 500m)");
    }
    if (memory.isMissingNode() || memory.isNull()) {
      throw new UserInputException(
          subject + ": " + field + ".requests.memory is missing: set it (e.g. 2048m or 2Gi)");
    }
    BigDecimal cores;
    try {
      cores = Quantity.parse(cpu.asText()).getNumericalAmount();
    } catch (RuntimeException e) {
      cores = BigDecimal.ZERO;
    }
    if (cores.signum() <= 0 || cores.compareTo(BigDecimal.valueOf(Bounds.MAX_VCPU)) > 0) {
      throw new UserInputException(
          subject
              + ": "
              + field
              + ".requests.cpu = '"
              + Bounds.shown(cpu.asText())
              + "' must be a CPU quantity above 0 up to "
              + Bounds.MAX_VCPU
              + " (e.g. \"1\" or 500m)");
    }
    return new PodShape(
        cores.stripTrailingZeros(), bytes(memory.asText(), subject, field + ".requests.memory"));
  }

  private static PodShape fromResource(Resource resource, String subject, String field) {
    if (resource == null) {
      throw new UserInputException(
          subject + ": " + field + " is missing: set cpu and memory (or resources.requests)");
    }
    if (resource.getCpu() == null
        || !(resource.getCpu() > 0)
        || !(resource.getCpu() <= Bounds.MAX_VCPU)) {
      throw new UserInputException(
          subject
              + ": "
              + field
              + ".cpu must be a number of vCPUs, more than 0 up to "
              + Bounds.MAX_VCPU
              + " (e.g. 1 or 0.5)");
    }
    if (resource.getMemory() == null || resource.getMemory().isBlank()) {
      throw new UserInputException(
          subject + ": " + field + ".memory is missing: e.g. 2048m or 2Gi");
    }
    return new PodShape(
        BigDecimal.valueOf(resource.getCpu()),
        bytes(resource.getMemory(), subject, field + ".memory"));
  }

  private static long bytes(String memory, String subject, String field) {
    long bytes;
    try {
      bytes = FlinkMemory.parseBytes(memory);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UserInputException(
          subject
              + ": "
              + field
              + " = '"
              + Bounds.shown(memory)
              + "' is not a memory size: use e.g. 2048m or 2Gi");
    }
    if (bytes <= 0 || bytes > (long) Bounds.MAX_MEMORY_GIB << 30) {
      throw new UserInputException(
          subject + ": " + field + " must be more than 0 up to " + Bounds.MAX_MEMORY_GIB + " GiB");
    }
    return bytes;
  }
}
