package dev.flinkspot.cost.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.RepoRoot;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hand-written FlinkCostReport CRD in k8s/base matches the Java model at every level. */
class FlinkCostReportCrdTest {

  static final Path CRD = Path.of("k8s", "base", "flinkcostreports.flinkspot.dev.yaml");

  static JsonNode crd() throws IOException {
    return PolicyFixtures.YAML.readTree(Files.readString(RepoRoot.find().resolve(CRD)));
  }

  static JsonNode version() throws IOException {
    return crd().path("spec").path("versions").get(0);
  }

  @Test
  void namesGroupVersionAndSubresourceMatchTheAnnotatedClass() throws IOException {
    var report = new FlinkCostReport();
    JsonNode crd = crd();
    assertThat(crd.path("metadata").path("name").asText())
        .isEqualTo(report.getPlural() + "." + report.getGroup());
    assertThat(report.getPlural()).isEqualTo(FlinkCostReport.PLURAL);
    assertThat(crd.path("spec").path("names").path("kind").asText()).isEqualTo(report.getKind());
    assertThat(crd.path("spec").path("names").path("shortNames").get(0).asText()).isEqualTo("fcr");
    assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced");
    assertThat(version().path("name").asText()).isEqualTo(FlinkCostReport.VERSION);
    assertThat(version().path("subresources").has("status")).isTrue();
  }

  @Test
  void specAndStatusPropertiesAreExactlyTheModelsFields() throws IOException {
    JsonNode properties = version().path("schema").path("openAPIV3Schema").path("properties");
    compare("spec", FlinkCostReportSpec.class, properties.path("spec"));
    compare("status", FlinkCostReportStatus.class, properties.path("status"));
  }

  @Test
  void printerColumnsReadFieldsTheStatusHas() throws IOException {
    Set<String> fields =
        Arrays.stream(FlinkCostReportStatus.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode column : version().path("additionalPrinterColumns")) {
      names.add(column.path("name").asText());
      String path = column.path("jsonPath").asText();
      if (path.startsWith(".status.")) {
        String field = path.substring(".status.".length()).split("[\\[.]")[0];
        assertThat(fields).as(path).contains(field);
      }
    }
    assertThat(names)
        .contains(
            "Self-managed $/month",
            "MSF $/month",
            "Savings %",
            "TaskManagers",
            "Spot %",
            "Priced",
            "Reason",
            "Age");
  }

  private static void compare(String path, Class<?> type, JsonNode schema) {
    Set<String> model =
        Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> schemaFields = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(schemaFields::add);
    assertThat(schemaFields).as("properties of %s", path).isEqualTo(model);
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode child = schema.path("properties").path(c.getName());
      String expected;
      if (List.class.isAssignableFrom(c.getType())) {
        expected = "array";
        var element =
            (Class<?>) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        if (element.isRecord()) {
          compare(path + "." + c.getName() + "[]", element, child.path("items"));
        }
      } else if (c.getType() == Integer.class || c.getType() == Long.class) {
        expected = "integer";
      } else if (c.getType() == String.class) {
        expected = "string";
      } else {
        expected = "object";
      }
      assertThat(child.path("type").asText()).as(path + "." + c.getName()).isEqualTo(expected);
    }
  }
}
