package dev.flinkspot.cost.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.testing.kube.RepoRoot;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading real manifests, and proof that the official flink-kubernetes-operator-api 1.10 model
 * (built on Fabric8 6.13) reads and writes them losslessly with the Fabric8 7 we run.
 */
class ManifestReaderTest {
  static final String EXAMPLE = "k8s/examples/stock-ticker.yaml";
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  @Test
  void multiDocumentFilesYieldEachFlinkDeploymentAndNameTheSkippedDocuments() throws Exception {
    var manifest = ManifestReader.read(resource("/manifests/multi-document.yaml"));

    assertThat(manifest.deployments())
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("orders", "session");
    assertThat(manifest.skipped())
        .containsExactly(
            "document 1 (Namespace flink): not a FlinkDeployment",
            "document 3 (ConfigMap settings): not a FlinkDeployment");
  }

  @Test
  void invalidYamlNamesTheDocumentAndLine() {
    assertThatThrownBy(
            () -> ManifestReader.parse("bad.yaml", "kind: FlinkDeployment\nspec: [unclosed\n"))
        .isInstanceOf(UserInputException.class)
        .hasMessageStartingWith("bad.yaml: invalid YAML in document 1");
  }

  @Test
  void aFieldOfTheWrongTypeIsNamed() {
    String yaml =
        """
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkDeployment
        metadata: {name: x}
        spec:
          taskManager: {replicas: many}
        """;
    assertThatThrownBy(() -> ManifestReader.parse("x.yaml", yaml))
        .isInstanceOf(UserInputException.class)
        .hasMessageStartingWith(
            "x.yaml: document 1 (FlinkDeployment x): field 'spec.taskManager.replicas'");
  }

  @Test
  void aMissingFileSaysSo() {
    assertThatThrownBy(() -> ManifestReader.read(Path.of("does-not-exist.yaml")))
        .hasMessage("does-not-exist.yaml: no such file: give the path of a FlinkDeployment YAML");
  }

  /**
   * The model keeps every field of a real manifest, value for value, but writing it back adds its
   * defaults (a status, and spec fields such as {@code job.parallelism: 0}). That is why the
   * controller patches what it owns and never writes a FlinkDeployment built from the model.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"/manifests/with-pod-templates.yaml", "/manifests/multi-document.yaml", "EXAMPLE"})
  void theOfficialModelKeepsEveryFieldOfRealManifestsAndOnlyAddsItsDefaults(String name)
      throws Exception {
    Path file = name.equals("EXAMPLE") ? RepoRoot.find().resolve(EXAMPLE) : resource(name);
    var documents =
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .<JsonNode>readValues(Files.readString(file))
            .readAll();
    var deployments = ManifestReader.read(file).deployments();
    var originals =
        documents.stream().filter(d -> "FlinkDeployment".equals(d.path("kind").asText())).toList();
    assertThat(deployments).hasSameSizeAs(originals).isNotEmpty();

    for (int i = 0; i < deployments.size(); i++) {
      JsonNode original = normalize(originals.get(i));
      JsonNode written = normalize(new ObjectMapper().readTree(KUBE.asJson(deployments.get(i))));
      List<String> lostOrChanged = new ArrayList<>();
      List<String> added = new ArrayList<>();
      compare("", original, written, lostOrChanged, added);

      assertThat(lostOrChanged).as("fields lost or changed by the model").isEmpty();
      assertThat(added)
          .as("fields the model adds")
          .isSubsetOf(
              "status",
              "spec.job.parallelism",
              "spec.job.args",
              "spec.job.state",
              "spec.jobManager.replicas");
      // and once more through the model: a fixed point
      FlinkDeployment again =
          KUBE.unmarshal(KUBE.asJson(deployments.get(i)), FlinkDeployment.class);
      assertThat(KUBE.asJson(again)).isEqualTo(KUBE.asJson(deployments.get(i)));
    }
  }

  private static void compare(
      String path,
      JsonNode original,
      JsonNode written,
      List<String> lostOrChanged,
      List<String> added) {
    if (original.isObject() && written.isObject()) {
      original
          .fieldNames()
          .forEachRemaining(
              field -> {
                String at = path.isEmpty() ? field : path + "." + field;
                if (!written.has(field)) {
                  lostOrChanged.add(at);
                } else {
                  compare(at, original.get(field), written.get(field), lostOrChanged, added);
                }
              });
      written
          .fieldNames()
          .forEachRemaining(
              field -> {
                if (!original.has(field)) {
                  added.add(path.isEmpty() ? field : path + "." + field);
                }
              });
    } else if (!original.equals(written)) {
      lostOrChanged.add(path + " (" + original + " → " + written + ")");
    }
  }

  /** Numbers compared by value (YAML's 1 and the model's 1.0 are the same cpu). */
  private static JsonNode normalize(JsonNode node) {
    if (node.isNumber()) {
      return DecimalNode.valueOf(new BigDecimal(node.asText()).stripTrailingZeros());
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        copy.set(field.getKey(), normalize(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> copy.add(normalize(item)));
      return copy;
    }
    return node;
  }

  private Path resource(String name) throws Exception {
    return Path.of(getClass().getResource(name).toURI());
  }
}
