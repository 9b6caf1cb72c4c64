package dev.flinkspot.webhook;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static dev.flinkspot.webhook.AdmissionHandlerTest.patchOf;
import static dev.flinkspot.webhook.AdmissionHandlerTest.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.placement.Placement;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.ReactiveDefaults;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhook for a policy with scaling: placement and Reactive Mode defaults in one patch. */
class ReactiveAdmissionTest {

  private static final String SCALING = SPOT_TASKMANAGERS + "scaling: {maxTaskManagers: 8}\n";
  private static final String ENFORCED =
      SPOT_TASKMANAGERS + "scaling: {maxTaskManagers: 8, enforceCheckpointing: true}\n";

  private final StaticPolicyLookup policies =
      new StaticPolicyLookup().put("flink", "spot-taskmanagers", spec(SCALING));
  private final AdmissionHandler handler = new AdmissionHandler(policies);

  private static ObjectNode object(ObjectNode review) {
    return (ObjectNode) review.path("request").path("object");
  }

  private static ObjectNode flinkConf(ObjectNode review) {
    return (ObjectNode) object(review).path("spec").path("flinkConfiguration");
  }

  private static List<String> warnings(JsonNode response) {
    List<String> out = new ArrayList<>();
    response.path("response").path("warnings").forEach(w -> out.add(w.asText()));
    return out;
  }

  /** An UPDATE of the stored object, which the Flink operator deployed in {@code mode}. */
  private static ObjectNode update(ObjectNode review, String deployedSpecJson) {
    ObjectNode request = (ObjectNode) review.get("request");
    request.put("operation", "UPDATE");
    ObjectNode old = object(review).deepCopy();
    old.putObject("status")
        .putObject("reconciliationStatus")
        .put("lastReconciledSpec", "{\"spec\":" + deployedSpecJson + ",\"resource_metadata\":{}}");
    request.set("oldObject", old);
    return review;
  }

  @Test
  void aFlinkTwoTwoCreateIsAdmittedWithTheTwoKeysAndItsOneKeyIsAWarning() throws IOException {
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) object(review).get("spec")).put("flinkVersion", "v2_2");
    flinkConf(review).removeAll();
    flinkConf(review).put("jobmanager.adaptive-scheduler.scaling-interval.max", "10 min");

    var reply = handler.review(review);

    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
    JsonNode conf =
        JsonPatch.apply(patchOf(reply.review()), object(review))
            .path("spec")
            .path("flinkConfiguration");
    assertThat(
            conf.path("jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling").asText())
        .isEqualTo("60 s");
    assertThat(conf.has("jobmanager.adaptive-scheduler.scaling-interval.min")).isFalse();
    assertThat(warnings(reply.review()))
        .anyMatch(
            w ->
                w.contains("jobmanager.adaptive-scheduler.scaling-interval.max")
                    && w.contains("executing.resource-stabilization-timeout"));
  }

  @Test
  void createGetsPlacementThenReactiveDefaultsInOnePatch() throws IOException {
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) object(review).get("spec")).remove("mode");
    flinkConf(review).remove("scheduler-mode");

    var reply = handler.review(review);

    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
    JsonNode object = object(review);
    JsonNode patched = JsonPatch.apply(patchOf(reply.review()), object);
    PlacementPolicy policy = policies.find("flink", "spot-taskmanagers").orElseThrow().policy();
    assertThat(patched)
        .isEqualTo(
            ReactiveDefaults.apply(Placement.place(object, policy).placed(), policy.scaling())
                .defaulted());
    assertThat(patched.path("spec").path("mode").asText()).isEqualTo("standalone");
    assertThat(patched.path("spec").path("flinkConfiguration").path("scheduler-mode").asText())
        .isEqualTo("REACTIVE");
    assertThat(patched.at("/spec/taskManager/podTemplate/spec/topologySpreadConstraints").isArray())
        .isTrue();
  }

  @Test
  void findingsBecomeShortWarningsNamingFieldAndFix() {
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) object(review).path("spec").path("job")).put("parallelism", 8);

    var response = handler.review(review).review();

    assertThat(response.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(warnings(response))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "flinkspot: spec.flinkConfiguration.execution.checkpointing.interval: ")
                    .contains("set execution.checkpointing.interval"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("flinkspot: spec.job.parallelism: ")
                    .contains("remove spec.job.parallelism"))
        .allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(256));
  }

  @Test
  void enforcedCheckpointingDeniesACreateWithoutItAndAdmitsOneWithIt() {
    policies.put("flink", "spot-taskmanagers", spec(ENFORCED));
    ObjectNode review = review("create-stock-ticker.json");

    var denied = handler.review(review);

    assertThat(denied.verdict()).isEqualTo(AdmissionHandler.Verdict.DENIED);
    JsonNode response = denied.review().path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
    assertThat(response.path("status").path("reason").asText()).isEqualTo("Invalid");
    assertThat(response.path("status").path("message").asText())
        .contains("spec.flinkConfiguration.execution.checkpointing.interval")
        .contains("set flinkConfiguration.\"execution.checkpointing.interval\"")
        .contains("the policy enforces checkpointing");

    flinkConf(review).put("execution.checkpointing.interval", "30s");
    var admitted = handler.review(review);
    assertThat(admitted.verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
    assertThat(warnings(admitted.review())).noneMatch(w -> w.contains("checkpointing"));
  }

  @Test
  void metadataOnlyUpdateGainsNoSpecChangeNoWarningAndIsNeverDenied() {
    policies.put("flink", "spot-taskmanagers", spec(ENFORCED));
    ObjectNode review = update(review("create-stock-ticker.json"), "{\"mode\":\"standalone\"}");
    // The stored object lacks defaults and checkpointing; the Flink operator adds a finalizer.
    ((ObjectNode) object(review).get("metadata")).putArray("finalizers").add("flinkdeployments");

    var reply = handler.review(review);

    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.SKIPPED);
    assertThat(reply.review().path("response").path("allowed").asBoolean()).isTrue();
    assertThat(reply.review().path("response").has("patch")).isFalse();
    assertThat(warnings(reply.review())).isEmpty();
  }

  @Test
  void aDeployedNativeDeploymentKeepsItsModeAndGetsNoReactiveSettings() throws IOException {
    ObjectNode review = update(review("create-stock-ticker.json"), "{\"job\":{}}");
    ((ObjectNode) object(review).get("spec")).remove("mode");
    flinkConf(review).remove("scheduler-mode");
    ((ObjectNode) object(review).get("spec")).put("image", "flinkspot/stock-ticker:0.2.0");

    var reply = handler.review(review);

    // The image change redeploys anyway, so placement is added, but nothing the operator forbids.
    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
    JsonNode patched = JsonPatch.apply(patchOf(reply.review()), object(review));
    assertThat(patched.path("spec").has("mode")).isFalse();
    assertThat(patched.path("spec").path("flinkConfiguration").has("scheduler-mode")).isFalse();
    assertThat(patchOf(reply.review()))
        .allSatisfy(op -> assertThat(op.path("path").asText()).doesNotStartWith("/spec/flinkConf"));
    assertThat(warnings(reply.review()))
        .anySatisfy(w -> assertThat(w).startsWith("flinkspot: spec.mode: "));
  }

  @Test
  void anExplicitNativeModeIsDeniedAtCreateOnlySinceItCannotChangeLater() {
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) object(review).get("spec")).put("mode", "native");

    var created = handler.review(review);

    assertThat(created.verdict()).isEqualTo(AdmissionHandler.Verdict.DENIED);
    assertThat(created.review().at("/response/status/message").asText())
        .startsWith("flinkspot: spec.mode: ")
        .contains("set spec.mode: standalone");

    ObjectNode updated = update(review, "{\"job\":{}}");
    ((ObjectNode) object(updated).get("spec")).put("image", "flinkspot/stock-ticker:0.2.0");
    var reply = handler.review(updated);
    assertThat(reply.verdict()).isNotEqualTo(AdmissionHandler.Verdict.DENIED);
    assertThat(warnings(reply.review()))
        .anySatisfy(w -> assertThat(w).startsWith("flinkspot: spec.mode: "));
  }

  @Test
  void aDefaultedDeploymentIsAdmittedUnchanged() throws IOException {
    ObjectNode review = review("create-stock-ticker.json");
    JsonNode patched = JsonPatch.apply(patchOf(handler.review(review).review()), object(review));
    ((ObjectNode) review.get("request")).set("object", patched);

    var reply = handler.review(review);

    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.UNCHANGED);
    assertThat(reply.review().path("response").has("patch")).isFalse();
  }

  @Test
  void warningsStayWithinWhatTheApiServerPassesOn() {
    List<Finding> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(
          new Finding(
              Finding.Severity.Warning,
              Finding.Reason.HpaBoundClamped,
              "spec.x" + i,
              "y".repeat(400) + "\nz"));
    }

    List<String> warnings = AdmissionWarnings.of(many);

    assertThat(warnings)
        .isNotEmpty()
        .allSatisfy(w -> assertThat(w).hasSize(256).doesNotContain("\n"));
    assertThat(warnings.stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(2048);
  }
}
