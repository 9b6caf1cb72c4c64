package dev.flinkspot.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.desired.DesiredDeployment;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.HpaLookup;
import dev.flinkspot.scaling.ReactiveForm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code admission.k8s.io/v1} AdmissionReview for a FlinkDeployment into its response,
 * from the same {@link DesiredDeployment} the reconciler acts on: a JSON Patch that adds the
 * placement and, when the policy has scaling on, the Reactive Mode defaults ({@link ReactiveForm}),
 * in that order and in one patch; warnings for the Reactive Mode findings; a denial only where
 * admitting would break the policy for good.
 *
 * <p>On CREATE the patch is added. On UPDATE it is added only when the spec changed (the Flink
 * operator redeploys for that change anyway) or when the policy allows a restart ({@code
 * repairExisting}); a metadata-only update, e.g. by the Flink operator itself, never gains a spec
 * change here, never gets warnings and is never denied (denying it would block the operator's
 * finalizer and with it the deletion). Events are left to the reconciler, which sees every
 * deployment after admission.
 *
 * <p>Denials (HTTP 422 Invalid, as for a schema violation: the object is refused for its content
 * and the fix is to change it; 403 would read as an authorisation problem): an {@code Error} {@code
 * CheckpointingOff} when the policy sets {@code enforceCheckpointing}, on CREATE and spec-changing
 * UPDATE; and {@code spec.mode: native} written by the user on CREATE, because the Flink operator
 * never lets {@code mode} change after the first deployment, so admitting it would make the
 * deployment unscalable until it is recreated. Every other finding, errors included, is a warning:
 * it can be fixed in place later, and the webhook must not block deployments for it.
 */
public final class AdmissionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);

  /** The status code of a denial: the object's content is refused (as for schema violations). */
  public static final int DENIAL_CODE = 422;

  private final PolicyLookup policies;
  private final HpaLookup hpas;

  public AdmissionHandler(PolicyLookup policies) {
    this(policies, HpaLookup.NONE);
  }

  public AdmissionHandler(PolicyLookup policies, HpaLookup hpas) {
    this.policies = policies;
    this.hpas = hpas;
  }

  /** What the handler did, for metrics and tests. */
  public enum Verdict {
    PATCHED,
    UNCHANGED,
    SKIPPED,
    NOT_HANDLED,
    DENIED
  }

  /** The response review and what was decided. */
  public record Reply(ObjectNode review, Verdict verdict) {}

  public Reply review(JsonNode admissionReview) {
    JsonNode request = admissionReview.path("request");
    String uid = request.path("uid").asText();
    String operation = request.path("operation").asText();
    JsonNode object = request.path("object");
    if (!Names.FLINK_DEPLOYMENT_KIND.equals(request.path("kind").path("kind").asText())
        || !object.isObject()
        || !("CREATE".equals(operation) || "UPDATE".equals(operation))) {
      return new Reply(allowed(admissionReview, uid, null, List.of()), Verdict.NOT_HANDLED);
    }
    String namespace =
        request.path("namespace").asText(object.path("metadata").path("namespace").asText());
    Map<String, String> labels = new HashMap<>();
    object
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));

    boolean create = "CREATE".equals(operation);
    // The stored status tells what the operator deployed; an UPDATE's new object may lack it (PUT).
    Optional<String> deployedMode =
        create ? Optional.empty() : ReactiveForm.deployedMode(request.path("oldObject"));
    DesiredDeployment want =
        DesiredDeployment.of(
            object,
            PolicyResolver.resolve(namespace, labels, policies),
            deployedMode,
            hpas.targeting(
                namespace,
                request.path("name").asText(object.path("metadata").path("name").asText())));
    if (!want.placeable()) {
      return new Reply(allowed(admissionReview, uid, null, List.of()), Verdict.SKIPPED);
    }
    boolean specChanged =
        create || !object.path("spec").equals(request.path("oldObject").path("spec"));
    List<String> warnings = specChanged ? AdmissionWarnings.of(want.findings()) : List.of();
    if (specChanged) {
      Optional<Finding> refused = want.refusal(create, object);
      if (refused.isPresent()) {
        logDecision(
            request,
            "refused",
            namespace,
            object,
            refused.get().reason() + " under FlinkSpotPolicy " + want.policy().name());
        return new Reply(
            denied(admissionReview, uid, AdmissionWarnings.full(refused.get()), warnings),
            Verdict.DENIED);
      }
    }
    if (!want.changes(object, specChanged)) {
      return new Reply(allowed(admissionReview, uid, null, warnings), Verdict.UNCHANGED);
    }
    // A spec change redeploys anyway; a metadata-only update may only repair when allowed.
    if (!want.writeAllowed(specChanged)) {
      return new Reply(allowed(admissionReview, uid, null, warnings), Verdict.SKIPPED);
    }
    ArrayNode patch = want.patch(object);
    logDecision(
        request,
        "placed",
        namespace,
        object,
        want.missing() + " of FlinkSpotPolicy " + want.policy().name());
    return new Reply(allowed(admissionReview, uid, patch, warnings), Verdict.PATCHED);
  }

  /** An allowing response that changes nothing. */
  /**
   * One INFO line per admission that changes or refuses what is stored, as the Writer logs the
   * reconciler's writes; a dry run (kubectl --dry-run=server) stores nothing: DEBUG.
   */
  private static void logDecision(
      JsonNode request, String verb, String namespace, JsonNode object, String why) {
    String name = object.path("metadata").path("name").asText("(generated name)");
    String line = "{} FlinkDeployment {}/{} at admission ({}): {}";
    String operation = request.path("operation").asText();
    if (request.path("dryRun").asBoolean(false)) {
      LOG.debug(line, verb, namespace, name, operation + ", dry run", why);
    } else {
      LOG.info(line, verb, namespace, name, operation, why);
    }
  }

  public static ObjectNode allowUnchanged(JsonNode review) {
    return allowed(review, review.path("request").path("uid").asText(), null, List.of());
  }

  private static ObjectNode response(JsonNode review, String uid, List<String> warnings) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
    out.put("kind", "AdmissionReview");
    ObjectNode response = out.putObject("response");
    response.put("uid", uid);
    if (!warnings.isEmpty()) {
      ArrayNode array = response.putArray("warnings");
      warnings.forEach(array::add);
    }
    return out;
  }

  private static ObjectNode allowed(
      JsonNode review, String uid, ArrayNode patch, List<String> warnings) {
    ObjectNode out = response(review, uid, warnings);
    ObjectNode response = (ObjectNode) out.get("response");
    response.put("allowed", true);
    if (patch != null && !patch.isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put(
          "patch",
          Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static ObjectNode denied(
      JsonNode review, String uid, String message, List<String> warnings) {
    ObjectNode out = response(review, uid, warnings);
    ObjectNode response = (ObjectNode) out.get("response");
    response.put("allowed", false);
    response
        .putObject("status")
        .put("code", DENIAL_CODE)
        .put("reason", "Invalid")
        .put("message", message);
    return out;
  }
}
