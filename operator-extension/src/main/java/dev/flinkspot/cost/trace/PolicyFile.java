package dev.flinkspot.cost.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.common.YamlFiles;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.scaling.ScalingPolicy;
import dev.flinkspot.scaling.ScalingSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scaling section of a FlinkSpotPolicy file, validated as the controller validates it, and its
 * {@code taskManager.spare} (which the trace simulation names but does not model).
 */
public final class PolicyFile {
  static final long MAX_BYTES = 1L << 20;
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  private PolicyFile() {}

  public static ScalingPolicy scaling(Path file) {
    String origin = "--policy " + file;
    JsonNode policy = read(file, origin);
    JsonNode scaling = policy.path("spec").path("scaling");
    if (scaling.isMissingNode() || scaling.isNull()) {
      throw new UserInputException(
          origin + ": no spec.scaling: add scaling.maxTaskManagers to simulate the HPA");
    }
    ScalingSpec spec;
    try {
      spec = KUBE.convertValue(scaling, ScalingSpec.class);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(
          origin + ": spec.scaling: " + YamlFiles.firstLine(e.getMessage()));
    }
    ScalingPolicy.Result result = ScalingPolicy.from(spec);
    if (!result.valid()) {
      throw new UserInputException(origin + ": " + result.invalidMessage());
    }
    return result.policy();
  }

  /**
   * The policy's warm spares per deployment ({@code spec.taskManager.spare}), 0 when unset; bounded
   * as the CRD bounds it.
   */
  public static int spare(Path file) {
    String origin = "--policy " + file;
    JsonNode spare = read(file, origin).path("spec").path("taskManager").path("spare");
    if (spare.isMissingNode() || spare.isNull()) {
      return 0;
    }
    if (!spare.canConvertToInt()
        || spare.asInt() < 0
        || spare.asInt() > PlacementPolicy.MAX_SPARE
        || !spare.isIntegralNumber()) {
      throw new UserInputException(
          origin
              + ": spec.taskManager.spare is '"
              + spare.asText()
              + "': give a whole number from 0 to "
              + PlacementPolicy.MAX_SPARE);
    }
    return spare.asInt();
  }

  /** The file as a FlinkSpotPolicy, size-capped before reading. */
  private static JsonNode read(Path file, String origin) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new UserInputException(origin + ": larger than 1 MiB: give one FlinkSpotPolicy");
      }
    } catch (IOException e) {
      throw new UserInputException(
          origin + ": cannot read (" + e.getMessage() + "): check the path");
    }
    JsonNode policy = YamlFiles.readTree(YAML, file, origin);
    if (!"FlinkSpotPolicy".equals(policy.path("kind").asText())) {
      throw new UserInputException(
          origin
              + ": kind is '"
              + policy.path("kind").asText()
              + "': give a FlinkSpotPolicy"
              + " (e.g. k8s/flink/spot-taskmanagers-policy.yaml)");
    }
    return policy;
  }
}
