package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.common.FlinkVersions;
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
 * FlinkDeployments come back typed, with their raw JSON beside them (for what the 1.10 model does
 * not know: a {@code flinkVersion} newer than {@code v1_20}, Kubernetes-style {@code resources});
 * FlinkSessionJobs come back raw; every other document is reported as skipped, with why.
 */
public final class ManifestReader {
  static final String API_GROUP = "flink.apache.org/";

  /**
   * Marks a resource the Flink operator creates and deletes to check its own health
   * (apache/flink-kubernetes-operator, .../operator/health/CanaryResourceManager.java).
   */
  static final String CANARY_LABEL = "flink.apache.org/canary";

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
    Collected collected = new Collected();
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        index++;
        collect(origin, index, document, collected);
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
    for (JsonNode job : collected.sessionJobs) {
      String cluster = job.path("spec").path("deploymentName").asText("");
      boolean found = collected.rawDeployments.stream().anyMatch(d -> runsOn(job, d));
      if (!found) {
        collected.skipped.add(
            "FlinkSessionJob "
                + job.path("metadata").path("name").asText("(unnamed)")
                + ": its session cluster '"
                + cluster
                + "' (spec.deploymentName, same namespace) is not in this file; put both in one"
                + " file to price it");
      }
    }
    return new Manifest(
        origin,
        collected.deployments,
        collected.skipped,
        collected.rawDeployments,
        collected.sessionJobs);
  }

  /** What {@link #collect} gathers, in document order. */
  private static final class Collected {
    final List<FlinkDeployment> deployments = new ArrayList<>();
    final List<JsonNode> rawDeployments = new ArrayList<>();
    final List<JsonNode> sessionJobs = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
  }

  private static void collect(String origin, int index, JsonNode document, Collected out) {
    if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
      return;
    }
    String kind = document.path("kind").asText("");
    String apiVersion = document.path("apiVersion").asText("");
    String name = document.path("metadata").path("name").asText("(unnamed)");
    if ("List".equals(kind) && document.path("items").isArray()) {
      for (JsonNode item : document.path("items")) {
        collect(origin, index, item, out);
      }
      return;
    }
    boolean flinkKind =
        Names.FLINK_DEPLOYMENT_KIND.equals(kind) || Names.FLINK_SESSION_JOB_KIND.equals(kind);
    String what = "document " + index + " (" + (kind.isEmpty() ? "no kind" : kind) + " " + name;
    if (flinkKind && apiVersion.isEmpty()) {
      out.skipped.add(what + "): apiVersion is missing: add apiVersion: flink.apache.org/v1beta1");
      return;
    }
    if (!flinkKind || !apiVersion.startsWith(API_GROUP)) {
      out.skipped.add(what + "): not a FlinkDeployment");
      return;
    }
    if ("true".equals(document.path("metadata").path("labels").path(CANARY_LABEL).asText())) {
      out.skipped.add(what + "): a canary of the Flink operator's health check, not a job");
      return;
    }
    String subject = origin + ": document " + index + " (" + kind + " " + name + ")";
    if (Names.FLINK_SESSION_JOB_KIND.equals(kind)) {
      out.sessionJobs.add(document);
      return;
    }
    FlinkVersions.check(document.path("spec").path("flinkVersion"), subject);
    try {
      out.deployments.add(KUBE.convertValue(modelView(document), FlinkDeployment.class));
      out.rawDeployments.add(document);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
      String detail =
          cause instanceof com.fasterxml.jackson.databind.JsonMappingException m
              ? "field '" + fieldPath(m) + "': " + YamlFiles.firstLine(m.getOriginalMessage())
              : YamlFiles.firstLine(cause.getMessage());
      throw new UserInputException(subject + ": " + detail);
    }
  }

  /**
   * The document as the 1.10 model can read it: without a {@code spec.flinkVersion} its enum does
   * not know ({@code v2_0} and later; {@link Manifest#raw} keeps it), and with a nested {@code
   * spec.flinkConfiguration} flattened to dotted keys, as operator 1.13+ reads it
   * (apache/flink-kubernetes-operator, flink-kubernetes-operator-api/.../spec/ConfigObjectNode.java
   * {@code asFlatMap}: objects join keys with '.', arrays become ';'-separated values).
   */
  static JsonNode modelView(JsonNode document) {
    JsonNode spec = document.path("spec");
    JsonNode version = spec.path("flinkVersion");
    boolean unknownVersion = version.isTextual() && !FlinkVersions.knownToModel(version.asText());
    JsonNode conf = spec.path("flinkConfiguration");
    boolean nested = false;
    for (JsonNode value : conf) {
      nested |= value.isContainerNode();
    }
    if (!unknownVersion && !nested) {
      return document;
    }
    ObjectNode copy = document.deepCopy();
    ObjectNode copySpec = (ObjectNode) copy.path("spec");
    if (unknownVersion) {
      copySpec.remove("flinkVersion");
    }
    if (nested) {
      ObjectNode flat = copySpec.objectNode();
      flatten(conf, "", flat);
      copySpec.set("flinkConfiguration", flat);
    }
    return copy;
  }

  private static void flatten(JsonNode node, String prefix, ObjectNode out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  flatten(
                      f.getValue(),
                      prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                      out));
    } else if (node.isArray()) {
      List<String> values = new ArrayList<>();
      node.forEach(v -> values.add(v.asText()));
      out.put(prefix, String.join(";", values));
    } else {
      out.put(prefix, node.asText());
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

  /**
   * Whether a FlinkSessionJob runs on a FlinkDeployment: its {@code spec.deploymentName} names it,
   * in the same namespace (the operator looks the cluster up in the job's own namespace).
   */
  static boolean runsOn(JsonNode sessionJob, JsonNode deployment) {
    return sessionJob
            .path("spec")
            .path("deploymentName")
            .asText()
            .equals(deployment.path("metadata").path("name").asText())
        && sessionJob
            .path("metadata")
            .path("namespace")
            .asText("")
            .equals(deployment.path("metadata").path("namespace").asText(""));
  }

  /**
   * A parsed manifest file: its FlinkDeployments (typed, and raw at the same index), its
   * FlinkSessionJobs (raw), and the documents skipped, with reasons.
   */
  public record Manifest(
      String origin,
      List<FlinkDeployment> deployments,
      List<String> skipped,
      List<JsonNode> rawDeployments,
      List<JsonNode> sessionJobs) {
    public Manifest {
      deployments = List.copyOf(deployments);
      skipped = List.copyOf(skipped);
      rawDeployments = List.copyOf(rawDeployments);
      sessionJobs = List.copyOf(sessionJobs);
    }

    /** The raw document of {@code deployments().get(i)}. */
    public JsonNode raw(int i) {
      return rawDeployments.get(i);
    }

    /** The FlinkSessionJobs that run on the i-th deployment. */
    public List<JsonNode> sessionJobsOf(int i) {
      return sessionJobs.stream().filter(j -> runsOn(j, rawDeployments.get(i))).toList();
    }
  }
}
