package dev.flinkspot.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.interruption.counts.InterruptionCounts;
import dev.flinkspot.interruption.counts.NoticeFact;
import dev.flinkspot.scaling.ScalingPolicy;
import dev.flinkspot.scaling.ScalingPolicyValidator;
import dev.flinkspot.scaling.ScalingSpec;
import dev.flinkspot.testing.kube.RepoRoot;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hand-written CRD in k8s/base matches the Java model, its enums and its defaults. */
class FlinkSpotPolicyCrdTest {

  static final Path CRD = Path.of("k8s", "base", "flinkspotpolicies.flinkspot.dev.yaml");

  static JsonNode crd() throws IOException {
    return PolicyFixtures.YAML.readTree(Files.readString(RepoRoot.find().resolve(CRD)));
  }

  static JsonNode schema() throws IOException {
    return crd().path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }

  @Test
  void namesGroupAndVersionMatchTheAnnotatedClass() throws IOException {
    var policy = new FlinkSpotPolicy();
    JsonNode crd = crd();
    assertThat(crd.path("metadata").path("name").asText())
        .isEqualTo(policy.getPlural() + "." + policy.getGroup());
    assertThat(crd.path("spec").path("group").asText()).isEqualTo(FlinkSpotPolicy.GROUP);
    assertThat(crd.path("spec").path("names").path("kind").asText()).isEqualTo(policy.getKind());
    assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced");
    JsonNode version = crd.path("spec").path("versions").get(0);
    assertThat(version.path("name").asText()).isEqualTo(FlinkSpotPolicy.VERSION);
    assertThat(version.path("subresources").has("status")).isTrue();
  }

  @Test
  void specPropertiesAreExactlyTheModelsFieldsAtEveryLevel() throws IOException {
    compare("spec", FlinkSpotPolicySpec.class, schema().path("properties").path("spec"));
  }

  @Test
  void statusPropertiesAreTheStatusBeanProperties() throws IOException {
    Set<String> schemaFields = fieldNames(schema().path("properties").path("status"));
    // More than LISTED of each, so that the truncation flags are written too.
    List<String> names =
        java.util.stream.IntStream.rangeClosed(0, FlinkSpotPolicyStatus.LISTED)
            .mapToObj(i -> "d" + i)
            .toList();
    var counts = new ScalingCounts(1, 2, 3, 4, 5, 6);
    var status =
        new FlinkSpotPolicyStatus(
                1L, List.of(new io.fabric8.kubernetes.api.model.Condition()), names)
            .withScaling(
                names.stream()
                    .map(n -> new DeploymentScaling(n, null, null, null, null, null, null, null))
                    .toList(),
                counts);
    var at = java.time.Instant.parse("2026-12-01T12:00:00Z");
    status.setInterruptions(
        InterruptionCounts.fold(
            null,
            List.of(
                new NoticeFact.Notice("d0", "n1", "nth-spot-interruption", at),
                new NoticeFact.Outcome("d0", "n1", true, at.plusSeconds(3))),
            java.time.Duration.ofMinutes(10)));
    JsonNode serialized = PolicyFixtures.YAML.valueToTree(status);
    assertThat(schemaFields).containsExactlyInAnyOrderElementsOf(toSet(serialized));
    assertThat(serialized.path("governedDeployments")).hasSize(FlinkSpotPolicyStatus.LISTED);
    assertThat(serialized.path("scaling")).hasSize(FlinkSpotPolicyStatus.LISTED);
    for (String bounded : List.of("governedDeployments", "scaling")) {
      assertThat(schema().at("/properties/status/properties/" + bounded + "/maxItems").asInt())
          .as(bounded + " maxItems")
          .isEqualTo(FlinkSpotPolicyStatus.LISTED);
    }
    assertThat(fieldNames(schema().at("/properties/status/properties/scalingCounts")))
        .containsExactlyInAnyOrderElementsOf(toSet(serialized.path("scalingCounts")));
    JsonNode interruptions = schema().at("/properties/status/properties/interruptions");
    assertThat(fieldNames(interruptions))
        .containsExactlyInAnyOrderElementsOf(toSet(serialized.path("interruptions")));
    assertThat(fieldNames(interruptions.at("/properties/recent/items")))
        .containsExactlyInAnyOrderElementsOf(toSet(serialized.at("/interruptions/recent/0")));
    assertThat(interruptions.at("/properties/recent/maxItems").asInt())
        .isEqualTo(InterruptionCounts.MAX_RECENT);
    Set<String> conditionFields =
        fieldNames(
            schema()
                .path("properties")
                .path("status")
                .path("properties")
                .path("conditions")
                .path("items"));
    assertThat(conditionFields)
        .containsExactlyInAnyOrder(
            "type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
  }

  @Test
  void enumsListTheJavaEnumConstants() throws IOException {
    JsonNode spec = schema().path("properties").path("spec").path("properties");
    assertThat(texts(spec.at("/capacityLabels/properties/scheme/enum")))
        .containsExactlyElementsOf(Arrays.stream(LabelScheme.values()).map(Enum::name).toList());
    assertThat(texts(spec.at("/taskManager/properties/spot/enum")))
        .containsExactlyElementsOf(Arrays.stream(SpotMode.values()).map(Enum::name).toList());
  }

  @Test
  void schemaDefaultsAreTheDefaultsTheCodeApplies() throws IOException {
    ObjectNode defaulted = PolicyFixtures.YAML.createObjectNode();
    applyDefaults(defaulted, schema().path("properties").path("spec"));
    FlinkSpotPolicySpec spec =
        PolicyFixtures.YAML.treeToValue(defaulted, FlinkSpotPolicySpec.class);

    assertThat(PlacementPolicy.from("p", spec))
        .isEqualTo(
            PlacementPolicy.from(
                "p", new FlinkSpotPolicySpec(null, null, null, null, null, null, null)));
  }

  @Test
  void scalingSchemaDefaultsAreTheDefaultsTheCodeApplies() throws IOException {
    ObjectNode defaulted = PolicyFixtures.YAML.createObjectNode();
    defaulted.putObject("scaling").put("maxTaskManagers", 8);
    applyDefaults(defaulted, schema().path("properties").path("spec"));
    FlinkSpotPolicySpec spec =
        PolicyFixtures.YAML.treeToValue(defaulted, FlinkSpotPolicySpec.class);

    assertThat(spec.scaling().minTaskManagers()).as("schema default").isNotNull();
    assertThat(ScalingPolicy.from(spec.scaling()))
        .isEqualTo(
            ScalingPolicy.from(new ScalingSpec(null, null, 8, null, null, null, null, null)));
  }

  @Test
  void scalingEnumListsTheMetricTypesTheValidatorAccepts() throws IOException {
    JsonNode types =
        schema()
            .at(
                "/properties/spec/properties/scaling/properties/metrics/items/properties/type/enum");
    for (String type : texts(types)) {
      var metric = new io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec();
      metric.setType(type);
      assertThat(
              ScalingPolicyValidator.validate(
                  new ScalingSpec(null, null, 4, null, null, null, null, List.of(metric))))
          .as(type)
          .hasValueSatisfying(m -> assertThat(m).contains("has type " + type + " but no"));
    }
  }

  @Test
  void theShippedPolicyIsValid() throws IOException {
    JsonNode example =
        PolicyFixtures.YAML.readTree(
            Files.readString(RepoRoot.find().resolve("k8s/flink/spot-taskmanagers-policy.yaml")));
    var spec = PolicyFixtures.YAML.treeToValue(example.path("spec"), FlinkSpotPolicySpec.class);
    assertThat(PlacementPolicy.from("spot-taskmanagers", spec).invalidMessage()).isNull();
    assertThat(example.path("metadata").path("namespace").asText()).isEqualTo("flink");
  }

  /** Fills schema defaults the way the API server does: only where the parent object exists. */
  static void applyDefaults(ObjectNode object, JsonNode schema) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode def = e.getValue().get("default");
              if (!object.has(e.getKey()) && def != null) {
                object.set(e.getKey(), def.deepCopy());
              }
              if (object.get(e.getKey()) instanceof ObjectNode child) {
                applyDefaults(child, e.getValue());
              }
            });
  }

  private static void compare(String path, Class<?> type, JsonNode schema) {
    if (!type.isRecord()) {
      return;
    }
    Set<String> model =
        Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(fieldNames(schema))
        .as("properties of %s", path)
        .containsExactlyInAnyOrderElementsOf(model);
    for (RecordComponent c : type.getRecordComponents()) {
      JsonNode child = schema.path("properties").path(c.getName());
      Class<?> childType = c.getType();
      if (List.class.isAssignableFrom(childType)) {
        Type element = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        assertThat(child.path("type").asText()).as(path + "." + c.getName()).isEqualTo("array");
        compare(path + "." + c.getName() + "[]", (Class<?>) element, child.path("items"));
      } else if (childType.isRecord()) {
        assertThat(child.path("type").asText()).as(path + "." + c.getName()).isEqualTo("object");
        compare(path + "." + c.getName(), childType, child);
      } else if (childType == Boolean.class) {
        assertThat(child.path("type").asText()).as(path + "." + c.getName()).isEqualTo("boolean");
      } else if (childType == Integer.class || childType == Long.class) {
        assertThat(child.path("type").asText()).as(path + "." + c.getName()).isEqualTo("integer");
      } else if (childType == String.class || childType.isEnum()) {
        assertThat(child.path("type").asText()).as(path + "." + c.getName()).isEqualTo("string");
      }
    }
  }

  private static Set<String> fieldNames(JsonNode schema) {
    return toSet(schema.path("properties"));
  }

  private static Set<String> toSet(JsonNode object) {
    Set<String> out = new TreeSet<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }
}
