package dev.flinkspot.webhook;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.kube.Names;
import dev.flinkspot.placement.Placement;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.StaticPolicyLookup;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AdmissionHandlerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final StaticPolicyLookup policies =
      new StaticPolicyLookup().put("flink", "spot-taskmanagers", spec(SPOT_TASKMANAGERS));
  private final AdmissionHandler handler = new AdmissionHandler(policies);

  static ObjectNode review(String resource) {
    try (InputStream in = AdmissionHandlerTest.class.getResourceAsStream("/webhook/" + resource)) {
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode patchOf(JsonNode response) throws IOException {
    return MAPPER.readTree(
        Base64.getDecoder().decode(response.path("response").path("patch").asText()));
  }

  @Test
  void createGetsAPatchThatPlacesTheDeployment() throws IOException {
    ObjectNode review = review("create-stock-ticker.json");

    var reply = handler.review(review);

    JsonNode response = reply.review();
    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
    assertThat(response.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(response.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(response.path("response").path("uid").asText())
        .isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(response.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(response.path("response").path("patchType").asText()).isEqualTo("JSONPatch");

    JsonNode object = review.path("request").path("object");
    JsonNode patched = JsonPatch.apply(patchOf(response), object);
    PlacementPolicy policy = policies.find("flink", "spot-taskmanagers").orElseThrow().policy();
    assertThat(patched).isEqualTo(Placement.place(object, policy).placed());
    // Only the component pod templates change; the user's spec.podTemplate and labels stay.
    assertThat(patched.path("spec").path("podTemplate"))
        .isEqualTo(object.path("spec").path("podTemplate"));
    // The user's pod labels stay; the governed label (the pod informer's selector) is added.
    ObjectNode userLabels =
        (ObjectNode) Json.at(object, "spec", "taskManager", "podTemplate", "metadata", "labels");
    assertThat(Json.at(patched, "spec", "taskManager", "podTemplate", "metadata", "labels"))
        .isEqualTo(userLabels.deepCopy().put(Names.GOVERNED_LABEL, Names.GOVERNED));
    for (JsonNode op : patchOf(response)) {
      assertThat(op.path("op").asText()).isEqualTo("add");
      assertThat(op.path("path").asText()).matches("/spec/(jobManager|taskManager)/podTemplate.*");
    }
  }

  @Test
  void annotationKeysWithSlashesAreEscapedInThePatch() throws IOException {
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) review.path("request").path("object").path("spec").path("jobManager"))
        .set("podTemplate", MAPPER.readTree("{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}"));

    var response = handler.review(review).review();

    assertThat(patchOf(response))
        .anySatisfy(
            op ->
                assertThat(op.path("path").asText())
                    .isEqualTo(
                        "/spec/jobManager/podTemplate/metadata/annotations/karpenter.sh~1do-not-disrupt"));
  }

  @Test
  void reviewingThePatchedObjectAgainReturnsNoPatch() throws IOException {
    ObjectNode review = review("create-stock-ticker.json");
    JsonNode patched =
        JsonPatch.apply(
            patchOf(handler.review(review).review()), review.path("request").path("object"));
    ((ObjectNode) review.get("request")).set("object", patched);

    var reply = handler.review(review);

    assertThat(reply.verdict()).isEqualTo(AdmissionHandler.Verdict.UNCHANGED);
    assertThat(reply.review().path("response").has("patch")).isFalse();
    assertThat(reply.review().path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void updateWithUnchangedSpecIsNotPatchedUnlessRepairIsAllowed() {
    ObjectNode review = review("create-stock-ticker.json");
    ObjectNode request = (ObjectNode) review.get("request");
    request.put("operation", "UPDATE");
    request.set("oldObject", request.get("object").deepCopy());

    assertThat(handler.review(review).verdict()).isEqualTo(AdmissionHandler.Verdict.SKIPPED);

    policies.put("flink", "spot-taskmanagers", spec(SPOT_TASKMANAGERS + "repairExisting: true\n"));
    assertThat(handler.review(review).verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
  }

  @Test
  void updateThatChangesTheSpecIsPlaced() {
    ObjectNode review = review("create-stock-ticker.json");
    ObjectNode request = (ObjectNode) review.get("request");
    request.put("operation", "UPDATE");
    ObjectNode old = request.get("object").deepCopy();
    ((ObjectNode) old.get("spec")).put("image", "flinkspot/stock-ticker:0.0.9");
    request.set("oldObject", old);

    assertThat(handler.review(review).verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
  }

  @Test
  void missingPolicyAndNoOptInAreAllowedUnchanged() {
    ObjectNode review = review("create-stock-ticker.json");
    ObjectNode labels =
        (ObjectNode) review.path("request").path("object").path("metadata").path("labels");

    labels.put("flinkspot.dev/policy", "nope");
    var missing = handler.review(review);
    labels.remove("flinkspot.dev/policy");
    var notOptedIn = handler.review(review);

    assertThat(missing.verdict()).isEqualTo(AdmissionHandler.Verdict.SKIPPED);
    assertThat(notOptedIn.verdict()).isEqualTo(AdmissionHandler.Verdict.SKIPPED);
    assertThat(missing.review().path("response").has("patch")).isFalse();
    assertThat(notOptedIn.review().path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void namespaceDefaultPolicyGovernsUnlabelledDeployments() {
    policies.put("flink", "default-spot", spec(SPOT_TASKMANAGERS + "namespaceDefault: true\n"));
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) review.path("request").path("object").path("metadata").path("labels"))
        .remove("flinkspot.dev/policy");

    assertThat(handler.review(review).verdict()).isEqualTo(AdmissionHandler.Verdict.PATCHED);
  }

  @Test
  void otherKindsAndDeletesAreNotHandled() {
    ObjectNode review = review("create-stock-ticker.json");
    ((ObjectNode) review.get("request")).put("operation", "DELETE");

    assertThat(handler.review(review).verdict()).isEqualTo(AdmissionHandler.Verdict.NOT_HANDLED);
  }
}
