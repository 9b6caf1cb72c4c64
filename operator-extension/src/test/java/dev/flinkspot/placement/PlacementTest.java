package dev.flinkspot.placement;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.deployment;
import static dev.flinkspot.policy.PolicyFixtures.json;
import static dev.flinkspot.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.policy.PlacementPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementTest {

  private static final PlacementPolicy POLICY = policy(SPOT_TASKMANAGERS);

  private static JsonNode terms(JsonNode d, String component) {
    return Json.at(
        d,
        "spec",
        component,
        "podTemplate",
        "spec",
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms");
  }

  private static JsonNode podSpec(JsonNode d, String component) {
    return Json.at(d, "spec", component, "podTemplate", "spec");
  }

  private static List<String> expressions(JsonNode term) {
    List<String> out = new ArrayList<>();
    term.path("matchExpressions")
        .forEach(
            e ->
                out.add(
                    e.path("key").asText()
                        + " "
                        + e.path("operator").asText()
                        + " "
                        + NodeRequirement.valuesOf(e).stream().sorted().toList()));
    return out;
  }

  @Test
  void placesJobManagerOnDemandAndTaskManagersOnSpotWithEksLabels() {
    var outcome = Placement.place(deployment(""), POLICY);

    assertThat(outcome.changed()).isTrue();
    JsonNode placed = outcome.placed();
    assertThat(terms(placed, "jobManager")).hasSize(1);
    assertThat(expressions(terms(placed, "jobManager").get(0)))
        .containsExactly(
            "eks.amazonaws.com/capacityType In [ON_DEMAND]", "flinkspot.dev/pool In [jobmanager]");
    assertThat(expressions(terms(placed, "taskManager").get(0)))
        .containsExactly(
            "eks.amazonaws.com/capacityType In [SPOT]", "flinkspot.dev/pool In [taskmanager]");
    assertThat(podSpec(placed, "jobManager").path("tolerations").get(0).path("value").asText())
        .isEqualTo("jobmanager");
    assertThat(podSpec(placed, "jobManager").path("priorityClassName").asText())
        .isEqualTo("flink-jobmanager");
    assertThat(podSpec(placed, "taskManager").has("priorityClassName")).isFalse();
    assertThat(
            Json.at(placed, "spec", "jobManager", "podTemplate", "metadata", "annotations")
                .path("karpenter.sh/do-not-disrupt")
                .asText())
        .isEqualTo("true");
    // Both components' pods carry the governed label (the controller's pod informer selects on
    // it), and nothing else in the TaskManager's metadata.
    for (String component : List.of("jobManager", "taskManager")) {
      assertThat(Json.at(placed, "spec", component, "podTemplate", "metadata", "labels").toString())
          .isEqualTo("{\"flinkspot.dev/governed\":\"true\"}");
    }
    assertThat(Json.at(placed, "spec", "taskManager", "podTemplate", "metadata").size())
        .isEqualTo(1);
  }

  @Test
  void spreadsTaskManagersOverZonesAndInstanceTypes() {
    JsonNode placed = Placement.place(deployment(""), POLICY).placed();

    JsonNode spread = podSpec(placed, "taskManager").path("topologySpreadConstraints");
    assertThat(spread).hasSize(2);
    assertThat(spread.get(0).path("topologyKey").asText()).isEqualTo("topology.kubernetes.io/zone");
    assertThat(spread.get(1).path("topologyKey").asText())
        .isEqualTo("node.kubernetes.io/instance-type");
    assertThat(spread.get(0).path("maxSkew").asInt()).isEqualTo(1);
    assertThat(spread.get(0).path("whenUnsatisfiable").asText()).isEqualTo("ScheduleAnyway");
    assertThat(spread.get(0).path("labelSelector").path("matchLabels"))
        .isEqualTo(json("{app: ticker, component: taskmanager}"));
    assertThat(podSpec(placed, "jobManager").has("topologySpreadConstraints")).isFalse();
  }

  static Stream<Arguments> schemes() {
    return Stream.of(
        Arguments.of(
            "{scheme: EksManagedNodeGroup}", "eks.amazonaws.com/capacityType", "ON_DEMAND", "SPOT"),
        Arguments.of("{scheme: Karpenter}", "karpenter.sh/capacity-type", "on-demand", "spot"),
        Arguments.of(
            "{scheme: Custom, key: example.com/lifecycle, onDemandValues: [normal], spotValues: [spot, preemptible]}",
            "example.com/lifecycle",
            "normal",
            "preemptible, spot"));
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void eachLabelSchemeSetsItsKeyAndValues(String labels, String key, String onDemand, String spot) {
    var policy = policy("capacityLabels: " + labels);

    JsonNode placed = Placement.place(deployment(""), policy).placed();

    assertThat(expressions(terms(placed, "jobManager").get(0)))
        .containsExactly(key + " In [" + onDemand + "]");
    assertThat(expressions(terms(placed, "taskManager").get(0)))
        .containsExactly(key + " In [" + spot + "]");
    assertThat(Placement.place(placed, policy).changed()).isFalse();
  }

  @Test
  void preferredSpotAllowsOnDemandFallback() {
    var policy = policy("{capacityLabels: {scheme: Karpenter}, taskManager: {spot: Preferred}}");

    JsonNode placed = Placement.place(deployment(""), policy).placed();

    assertThat(expressions(terms(placed, "taskManager").get(0)))
        .containsExactly("karpenter.sh/capacity-type In [on-demand, spot]");
    JsonNode preferred =
        podSpec(placed, "taskManager")
            .path("affinity")
            .path("nodeAffinity")
            .path("preferredDuringSchedulingIgnoredDuringExecution");
    assertThat(preferred).hasSize(1);
    assertThat(preferred.get(0).path("weight").asInt()).isEqualTo(100);
    assertThat(expressions(preferred.get(0).path("preference")))
        .containsExactly("karpenter.sh/capacity-type In [spot]");
  }

  static Stream<String> userTemplates() {
    return Stream.of(
        "",
        "taskManager: {podTemplate: {spec: {tolerations: [{key: dedicated, operator: Exists}]}}}",
        "podTemplate: {spec: {tolerations: [{key: a, operator: Exists}], containers: [{name: flink-main-container}]}}",
        """
        taskManager:
          podTemplate:
            spec:
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                      - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a]}]
                      - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1b]}]
        """,
        "taskManager: {podTemplate: {spec: {topologySpreadConstraints: [{maxSkew: 2, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}]}}}",
        "jobManager: {podTemplate: {metadata: {annotations: {karpenter.sh/do-not-disrupt: 'false'}}, spec: {priorityClassName: mine}}}");
  }

  @ParameterizedTest
  @MethodSource("userTemplates")
  void secondPassChangesNothingAndInputIsNotMutated(String userSpec) {
    ObjectNode original = deployment(userSpec);
    ObjectNode copy = original.deepCopy();

    var first = Placement.place(original, POLICY);
    var second = Placement.place(first.placed(), POLICY);

    assertThat(original).isEqualTo(copy);
    assertThat(first.conflicts()).isEmpty();
    assertThat(second.changed()).isFalse();
    assertThat(second.placed()).isEqualTo(first.placed());
  }

  @ParameterizedTest
  @MethodSource("userTemplates")
  void userEntriesStayFirstAndInOrder(String userSpec) {
    ObjectNode original = deployment(userSpec);
    JsonNode placed = Placement.place(original, POLICY).placed();
    for (String component : List.of("jobManager", "taskManager")) {
      JsonNode before = Json.at(original, "spec", component, "podTemplate");
      JsonNode after = Json.at(placed, "spec", component, "podTemplate");
      assertThat(isPrefixOf(before, after))
          .as("user %s template %s is kept inside %s", component, before, after)
          .isTrue();
    }
    assertThat(placed.path("spec").path("podTemplate"))
        .isEqualTo(original.path("spec").path("podTemplate"));
  }

  /** Every value of {@code user} is in {@code placed}, arrays keep the user's elements first. */
  private static boolean isPrefixOf(JsonNode user, JsonNode placed) {
    if (user.isMissingNode()) {
      return true;
    }
    if (user.isObject()) {
      var fields = user.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        if (!placed.has(e.getKey()) || !isPrefixOf(e.getValue(), placed.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (user.isArray()) {
      if (!placed.isArray() || placed.size() < user.size()) {
        return false;
      }
      for (int i = 0; i < user.size(); i++) {
        if (!isPrefixOf(user.get(i), placed.get(i))) {
          return false;
        }
      }
      return true;
    }
    return user.equals(placed);
  }

  @Test
  void addsRequirementsToEveryUserTermAfterTheUsersExpressions() {
    var d =
        deployment(
            """
            taskManager:
              podTemplate:
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [a]}]
                          - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [b]}]
            """);

    JsonNode terms = terms(Placement.place(d, POLICY).placed(), "taskManager");

    assertThat(terms).hasSize(2);
    assertThat(expressions(terms.get(0)))
        .containsExactly(
            "topology.kubernetes.io/zone In [a]",
            "eks.amazonaws.com/capacityType In [SPOT]",
            "flinkspot.dev/pool In [taskmanager]");
    assertThat(expressions(terms.get(1)).get(0)).isEqualTo("topology.kubernetes.io/zone In [b]");
  }

  @Test
  void keepsUserTolerationsAndDoesNotDuplicateAnEquivalentOne() {
    var d =
        deployment(
            """
            taskManager:
              podTemplate:
                spec:
                  tolerations:
                    - {key: dedicated, operator: Exists}
                    - {key: flinkspot.dev/pool, value: taskmanager, effect: NoSchedule}
            """);

    JsonNode tolerations =
        podSpec(Placement.place(d, POLICY).placed(), "taskManager").path("tolerations");

    assertThat(tolerations)
        .isEqualTo(Json.at(d, "spec", "taskManager", "podTemplate", "spec", "tolerations"));
  }

  @Test
  void keepsUserSpreadOnAKeyAndAddsTheMissingOne() {
    var d =
        deployment(
            "taskManager: {podTemplate: {spec: {topologySpreadConstraints: [{maxSkew: 3, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}]}}}");

    JsonNode spread =
        podSpec(Placement.place(d, POLICY).placed(), "taskManager")
            .path("topologySpreadConstraints");

    assertThat(spread).hasSize(2);
    assertThat(spread.get(0).path("maxSkew").asInt()).isEqualTo(3);
    assertThat(spread.get(1).path("topologyKey").asText())
        .isEqualTo("node.kubernetes.io/instance-type");
  }

  @Test
  void userPriorityClassAndAnnotationWin() {
    var d =
        deployment(
            "jobManager: {podTemplate: {metadata: {annotations: {karpenter.sh/do-not-disrupt: 'false'}}, spec: {priorityClassName: mine}}}");

    JsonNode placed = Placement.place(d, POLICY).placed();

    assertThat(podSpec(placed, "jobManager").path("priorityClassName").asText()).isEqualTo("mine");
    assertThat(
            Json.at(placed, "spec", "jobManager", "podTemplate", "metadata", "annotations")
                .path("karpenter.sh/do-not-disrupt")
                .asText())
        .isEqualTo("false");
  }

  @Test
  void seedsComponentArraysFromTheTopTemplateSoThePositionalMergeKeepsBoth() {
    var d =
        deployment(
            """
            podTemplate:
              spec:
                tolerations: [{key: team, operator: Equal, value: data, effect: NoSchedule}]
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                        - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [arm64]}]
            """);

    JsonNode placed = Placement.place(d, POLICY).placed();

    for (String component : List.of("jobManager", "taskManager")) {
      JsonNode effective =
          FlinkTemplateMerge.effective(
              placed.path("spec").path("podTemplate"),
              placed.path("spec").path(component).path("podTemplate"));
      JsonNode tolerations = effective.path("spec").path("tolerations");
      assertThat(tolerations).hasSize(2);
      assertThat(tolerations.get(0).path("key").asText()).isEqualTo("team");
      assertThat(tolerations.get(1).path("key").asText()).isEqualTo("flinkspot.dev/pool");
      JsonNode terms =
          Json.at(
              effective,
              "spec",
              "affinity",
              "nodeAffinity",
              "requiredDuringSchedulingIgnoredDuringExecution",
              "nodeSelectorTerms");
      assertThat(terms).hasSize(1);
      assertThat(expressions(terms.get(0)))
          .hasSize(3)
          .first()
          .isEqualTo("kubernetes.io/arch In [arm64]");
    }
  }

  @Test
  void longerTopArrayThanComponentArrayIsUnsafeAndLeftAlone() {
    var d =
        deployment(
            """
            podTemplate: {spec: {tolerations: [{key: a, operator: Exists}, {key: b, operator: Exists}]}}
            taskManager: {podTemplate: {spec: {tolerations: [{key: c, operator: Exists}]}}}
            """);

    var outcome = Placement.place(d, POLICY);

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.conflicts()).singleElement().asString().contains("merges these by position");
    assertThat(outcome.placed()).isSameAs(d);
  }

  static Stream<Arguments> contradictions() {
    return Stream.of(
        Arguments.of(
            "taskManager: {podTemplate: {spec: {nodeSelector: {eks.amazonaws.com/capacityType: ON_DEMAND}}}}",
            "pins the taskmanager"),
        Arguments.of(
            """
            taskManager:
              podTemplate:
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions: [{key: eks.amazonaws.com/capacityType, operator: NotIn, values: [SPOT]}]
            """,
            "keeps the taskmanager off"),
        Arguments.of(
            "podTemplate: {spec: {nodeSelector: {eks.amazonaws.com/capacityType: SPOT}}}",
            "pins the jobmanager"),
        Arguments.of(
            "jobManager: {podTemplate: {spec: {nodeSelector: {flinkspot.dev/pool: taskmanager}}}}",
            "flinkspot.dev/pool=taskmanager"));
  }

  @ParameterizedTest
  @MethodSource("contradictions")
  void userPlacementContradictingThePolicyIsLeftAsWritten(String userSpec, String message) {
    ObjectNode d = deployment(userSpec);

    var outcome = Placement.place(d, POLICY);

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.placed()).isEqualTo(d);
    assertThat(outcome.conflicts()).anySatisfy(c -> assertThat(c).contains(message));
  }

  @Test
  void preferredModeStillRefusesTaskManagersPinnedToOnDemand() {
    var policy = policy("{capacityLabels: {scheme: Karpenter}, taskManager: {spot: Preferred}}");
    var d =
        deployment(
            "taskManager: {podTemplate: {spec: {nodeSelector: {karpenter.sh/capacity-type: on-demand}}}}");

    assertThat(Placement.place(d, policy).conflicting()).isTrue();
  }

  @Test
  void deploymentWithoutANameYetIsNotPlacedAtAdmission() {
    ObjectNode d = deployment("");
    ((ObjectNode) d.get("metadata")).remove("name");
    ((ObjectNode) d.get("metadata")).put("generateName", "ticker-");

    var outcome = Placement.place(d, POLICY);

    assertThat(outcome.changed()).isFalse();
    assertThat(outcome.conflicts()).singleElement().asString().contains("generateName");
  }
}
