package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.common.YamlFiles;
import dev.flinkspot.kube.Names;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * Reads the YAML a user would {@code kubectl apply}: one or many documents, or a {@code List}.
 * FlinkDeployments come back typed; every other document is reported as skipped, with why.
 */
public final class ManifestReader {
  static final String API_GROUP = "flink.apache.org/";
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  private ManifestReader() {}

  /** The documents of {@code file}, in order. */
  public static Manifest read(Path file) {
    String text;
    try {
      text = YamlFiles.readText(file, file.toString());
    } catch (NoSuchFileException e) {
      throw new UserInputException(
          file + ": no such file: give the path of a FlinkDeployment YAML");
    } catch (IOException e) {
      throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /** Parses manifest text; {@code origin} names it in messages. */
  public static Manifest parse(String origin, String text) {
    List<FlinkDeployment> deployments = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        index++;
        collect(origin, index, document, deployments, skipped);
      }
    } catch (JsonProcessingException e) {
      throw new UserInputException(
          origin
              + ": invalid YAML in document "
              + (index + 1)
              + YamlFiles.where(e)
              + ": "
              + YamlFiles.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UserInputException(origin + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof JsonProcessingException cause) {
        throw new UserInputException(
            origin
                + ": invalid YAML in document "
                + (index + 1)
                + ": "
                + YamlFiles.firstLine(cause.getOriginalMessage()));
      }
      throw e;
    }
    return new Manifest(origin, deployments, skipped);
  }

  private static void collect(
      String origin,
      int index,
      JsonNode document,
      List<FlinkDeployment> deployments,
      List<String> skipped) {
    if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
      return;
    }
    String kind = document.path("kind").asText("");
    String apiVersion = document.path("apiVersion").asText("");
    String name = document.path("metadata").path("name").asText("(unnamed)");
    if ("List".equals(kind) && document.path("items").isArray()) {
      for (JsonNode item : document.path("items")) {
        collect(origin, index, item, deployments, skipped);
      }
      return;
    }
    if (!Names.FLINK_DEPLOYMENT_KIND.equals(kind) || !apiVersion.startsWith(API_GROUP)) {
      skipped.add(
          "document "
              + index
              + " ("
              + (kind.isEmpty() ? "no kind" : kind)
              + " "
              + name
              + "): not a FlinkDeployment");
      return;
    }
    try {
      deployments.add(KUBE.convertValue(document, FlinkDeployment.class));
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
      String detail =
          cause instanceof com.fasterxml.jackson.databind.JsonMappingException m
              ? "field '" + fieldPath(m) + "': " + YamlFiles.firstLine(m.getOriginalMessage())
              : YamlFiles.firstLine(cause.getMessage());
      throw new UserInputException(
          origin + ": document " + index + " (FlinkDeployment " + name + "): " + detail);
    }
  }

  private static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** A parsed manifest file: its FlinkDeployments and the documents skipped, with reasons. */
  public record Manifest(String origin, List<FlinkDeployment> deployments, List<String> skipped) {
    public Manifest {
      deployments = List.copyOf(deployments);
      skipped = List.copyOf(skipped);
    }
  }
}
