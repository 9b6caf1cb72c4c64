package dev.flinkspot.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.placement.PlacementDecision;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code admission.k8s.io/v1} AdmissionReview for a FlinkDeployment into its response:
 * always allowed, with a JSON Patch that adds the placement when the policy asks for it.
 *
 * <p>On CREATE the placement is added. On UPDATE it is added only when the spec changed (the Flink
 * operator redeploys for that change anyway) or when the policy allows a restart ({@code
 * repairExisting}); a metadata-only update, e.g. by the Flink operator itself, never gains a spec
 * change here. Events are left to the reconciler, which sees every deployment after admission.
 */
public final class AdmissionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);

  private final PolicyLookup policies;

  public AdmissionHandler(PolicyLookup policies) {
    this.policies = policies;
  }

  /** What the handler did, for metrics and tests. */
  public enum Verdict {
    PATCHED,
    UNCHANGED,
    SKIPPED,
    NOT_HANDLED
  }

  /** The response review and what was decided. */
  public record Reply(ObjectNode review, Verdict verdict) {}

  public Reply review(JsonNode admissionReview) {
    JsonNode request = admissionReview.path("request");
    String uid = request.path("uid").asText();
    String operation = request.path("operation").asText();
    JsonNode object = request.path("object");
    if (!"FlinkDeployment".equals(request.path("kind").path("kind").asText())
        || !object.isObject()
        || !("CREATE".equals(operation) || "UPDATE".equals(operation))) {
      return new Reply(allowed(admissionReview, uid, null), Verdict.NOT_HANDLED);
    }
    String namespace =
        request.path("namespace").asText(object.path("metadata").path("namespace").asText());
    Map<String, String> labels = new HashMap<>();
    object
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));

    PlacementDecision decision =
        PlacementDecision.decide(object, PolicyResolver.resolve(namespace, labels, policies));
    if (!(decision instanceof PlacementDecision.Place place)) {
      return new Reply(
          allowed(admissionReview, uid, null),
          decision instanceof PlacementDecision.InPlace ? Verdict.UNCHANGED : Verdict.SKIPPED);
    }
    if ("UPDATE".equals(operation)
        && object.path("spec").equals(request.path("oldObject").path("spec"))
        && !place.policy().repairExisting()) {
      return new Reply(allowed(admissionReview, uid, null), Verdict.SKIPPED);
    }
    ArrayNode patch = JsonPatchDiff.diff(object, place.placed());
    LOG.debug(
        "placing {}/{} with policy {}: {} patch operations",
        namespace,
        object.path("metadata").path("name").asText(),
        place.policy().name(),
        patch.size());
    return new Reply(allowed(admissionReview, uid, patch), Verdict.PATCHED);
  }

  /** An allowing response that changes nothing. */
  public static ObjectNode allowUnchanged(JsonNode review) {
    return allowed(review, review.path("request").path("uid").asText(), null);
  }

  private static ObjectNode allowed(JsonNode review, String uid, ArrayNode patch) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
    out.put("kind", "AdmissionReview");
    ObjectNode response = out.putObject("response");
    response.put("uid", uid);
    response.put("allowed", true);
    if (patch != null && !patch.isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put(
          "patch",
          Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }
}
