package dev.flinkspot.plan;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.policy.FlinkSpotPolicySpec;
import dev.flinkspot.testing.kube.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the shipped eksctl files, policies and Karpenter objects for the rule tests. */
public final class ShippedFiles {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** Parses a YAML string (e.g. a ConfigMap value). */
  public static final java.util.function.Function<String, JsonNode> YAML_READER =
      text -> {
        try {
          return YAML.readTree(text);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };

  /** The one FlinkSpotPolicy file of k8s/ (k8s/flink), included by every overlay. */
  public static final String POLICY = "k8s/flink/spot-taskmanagers-policy.yaml";

  /** The overlay that sets the policy's capacity-label scheme to Karpenter by a JSON patch. */
  public static final String KARPENTER_OVERLAY = "k8s/overlays/karpenter/kustomization.yaml";

  private ShippedFiles() {}

  public static Path policy() {
    return root().resolve(POLICY);
  }

  /**
   * The policy as k8s/overlays/karpenter renders it: {@link #POLICY} with the overlay's JSON patch
   * ({@code replace} operations only; ShippedK8sTest pins which) applied.
   */
  public static FlinkSpotPolicySpec karpenterPolicySpec() {
    ObjectNode policy = (ObjectNode) yaml(policy()).deepCopy();
    for (JsonNode op : karpenterPolicyPatch()) {
      if (!"replace".equals(op.path("op").asText())) {
        throw new IllegalStateException("only replace is supported, got " + op);
      }
      JsonPointer path = JsonPointer.compile(op.path("path").asText());
      ((ObjectNode) policy.at(path.head()))
          .set(path.last().getMatchingProperty(), op.path("value"));
    }
    try {
      return YAML.treeToValue(policy.path("spec"), FlinkSpotPolicySpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON patch operations k8s/overlays/karpenter applies to the FlinkSpotPolicy. */
  public static JsonNode karpenterPolicyPatch() {
    for (JsonNode patch : yaml(root().resolve(KARPENTER_OVERLAY)).path("patches")) {
      if ("FlinkSpotPolicy".equals(patch.path("target").path("kind").asText())) {
        return YAML_READER.apply(patch.path("patch").asText());
      }
    }
    throw new IllegalStateException(KARPENTER_OVERLAY + " has no patch of the FlinkSpotPolicy");
  }

  public static Path root() {
    return RepoRoot.find();
  }

  public static JsonNode yaml(Path file) {
    List<JsonNode> docs = documents(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(file + " has " + docs.size() + " documents, expected 1");
    }
    return docs.get(0);
  }

  public static List<JsonNode> documents(Path file) {
    try (MappingIterator<JsonNode> it =
        YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
      List<JsonNode> docs = new ArrayList<>();
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The spec of a FlinkSpotPolicy manifest, bound strictly (an unknown field fails). */
  public static FlinkSpotPolicySpec policySpec(Path file) {
    JsonNode policy = yaml(file);
    try {
      return YAML.treeToValue(policy.path("spec"), FlinkSpotPolicySpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scaling section of a FlinkSpotPolicy manifest, validated as the controller does. */
  public static dev.flinkspot.scaling.ScalingPolicy.Result scaling(Path file) {
    JsonNode scaling = yaml(file).path("spec").path("scaling");
    try {
      return dev.flinkspot.scaling.ScalingPolicy.from(
          scaling.isMissingNode()
              ? null
              : YAML.treeToValue(scaling, dev.flinkspot.scaling.ScalingSpec.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every object of the YAML files of a directory (kustomization files left out). */
  public static List<JsonNode> objectsIn(Path dir) {
    try (var files = Files.list(dir)) {
      List<JsonNode> objects = new ArrayList<>();
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if ((name.endsWith(".yaml") || name.endsWith(".yml"))
            && !name.startsWith("kustomization")) {
          objects.addAll(documents(f));
        }
      }
      return objects;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
