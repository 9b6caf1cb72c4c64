package dev.flinkspot.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.kube.Names;
import dev.flinkspot.placement.PlacementDecision;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.ReactiveForm;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Optional;

/**
 * What one FlinkDeployment should look like under its policy: the placement decision, then (when
 * the deployment can be placed) the placed object with the Reactive Mode defaults of a scaling
 * policy ({@link ReactiveForm}), what was added and the findings on the result. The one answer both
 * the admission webhook and the reconciler act on, so that "the controller writes what the webhook
 * would have admitted" holds by construction. Pure: no client.
 *
 * @param placement how the policy resolved and whether the placement is missing
 * @param policy the governing policy; null unless {@link #placeable()}
 * @param desired the placed and defaulted object; null unless {@link #placeable()}
 * @param added the Reactive Mode defaults added (keys, for messages)
 * @param findings the Reactive Mode findings on {@code desired}
 */
public record DesiredDeployment(
    PlacementDecision placement,
    PlacementPolicy policy,
    ObjectNode desired,
    List<String> added,
    List<Finding> findings) {

  /**
   * Decides for one deployment.
   *
   * @param deployment the raw FlinkDeployment (as stored, or as submitted for admission)
   * @param resolution how its policy resolved
   * @param deployedMode the mode the Flink operator last deployed ({@link
   *     ReactiveForm#deployedMode}); empty when nothing is deployed yet
   * @param hpas the HPAs in the deployment's namespace (for the Reactive Mode findings)
   */
  public static DesiredDeployment of(
      JsonNode deployment,
      PolicyResolver.Resolution resolution,
      Optional<String> deployedMode,
      List<HorizontalPodAutoscaler> hpas) {
    PlacementDecision decision = PlacementDecision.decide(deployment, resolution);
    PlacementPolicy policy;
    ObjectNode placed;
    if (decision instanceof PlacementDecision.Place place) {
      policy = place.policy();
      placed = place.placed();
    } else if (decision instanceof PlacementDecision.InPlace inPlace) {
      policy = inPlace.policy();
      placed = (ObjectNode) deployment;
    } else {
      return new DesiredDeployment(decision, null, null, List.of(), List.of());
    }
    ReactiveForm.Result form = ReactiveForm.of(placed, policy.scaling(), deployedMode, hpas);
    return new DesiredDeployment(decision, policy, form.desired(), form.added(), form.findings());
  }

  /** Governed by a valid policy that does not conflict with the user's placement. */
  public boolean placeable() {
    return desired != null;
  }

  /** Whether {@code current} differs from the desired object (false when not placeable). */
  public boolean changes(JsonNode current) {
    return placeable() && !desired.equals(current);
  }

  /**
   * Whether there is something to write: {@code current} differs from the desired object, unless
   * the only difference is the governed pod label ({@link Names#GOVERNED_LABEL}) and writing it
   * would restart the cluster ({@code restartFree} false): a deployment placed before the label
   * existed gets it with its next spec change (the user's, or a placement write), never alone.
   */
  public boolean changes(JsonNode current, boolean restartFree) {
    return changes(current) && (restartFree || !withoutNewGovernedLabel(current).equals(current));
  }

  /** The desired object without the governed label where {@code current}'s templates lack it. */
  private ObjectNode withoutNewGovernedLabel(JsonNode current) {
    ObjectNode out = desired.deepCopy();
    for (String component : List.of("jobManager", "taskManager")) {
      List<String> path =
          List.of("spec", component, "podTemplate", "metadata", "labels", Names.GOVERNED_LABEL);
      if (Json.at(current, path).isMissingNode()) {
        removeAndPrune(out, current, path, 0);
      }
    }
    return out;
  }

  /**
   * Removes {@code path} from {@code node}, then each object left empty that {@code current} lacks.
   */
  private static void removeAndPrune(JsonNode node, JsonNode current, List<String> path, int at) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    String field = path.get(at);
    if (at == path.size() - 1) {
      object.remove(field);
      return;
    }
    JsonNode child = object.get(field);
    JsonNode currentChild = current.path(field);
    removeAndPrune(child, currentChild, path, at + 1);
    if (child != null && child.isObject() && child.isEmpty() && currentChild.isMissingNode()) {
      object.remove(field);
    }
  }

  /** The JSON Patch (RFC 6902) from {@code current} to the desired object. */
  public ArrayNode patch(JsonNode current) {
    return JsonPatchDiff.diff(current, desired);
  }

  /**
   * Whether writing the desired object is allowed: always when the write restarts nothing ({@code
   * restartFree}: the spec changes anyway at admission, or the Flink operator has deployed nothing
   * yet), otherwise only when the policy sets {@code repairExisting}.
   */
  public boolean writeAllowed(boolean restartFree) {
    return restartFree || policy.repairExisting();
  }

  /** What a write adds: the placement, the Reactive Mode defaults (listed), or both. */
  public String missing() {
    boolean placementMissing = placement instanceof PlacementDecision.Place;
    String reactive = "Reactive Mode defaults (" + String.join(", ", added) + ")";
    if (added.isEmpty()) {
      return "placement";
    }
    return placementMissing ? "placement and " + reactive : reactive;
  }

  /** "is" or "are", agreeing with {@link #missing()}. */
  public String missingVerb() {
    return placement instanceof PlacementDecision.Place && added.isEmpty() ? "is" : "are";
  }

  /**
   * The finding that refuses the deployment at admission, if any: an {@code Error} {@code
   * CheckpointingOff} (the policy enforces checkpointing), or {@code spec.mode: native} written by
   * the user on CREATE (the Flink operator never lets the mode change after the first deployment).
   */
  public Optional<Finding> refusal(boolean create, JsonNode object) {
    boolean userNative =
        "native".equalsIgnoreCase(object.path("spec").path("mode").asText("").trim());
    return findings.stream()
        .filter(f -> f.severity() == Finding.Severity.Error)
        .filter(
            f ->
                f.reason() == Finding.Reason.CheckpointingOff
                    || (create && userNative && f.reason() == Finding.Reason.NativeMode))
        .findFirst();
  }

  /**
   * The refusal the reconciler applies itself when no admission webhook runs (the controller's
   * {@code --no-webhook}): {@link #refusal} of the stored object as if it were created now, so the
   * rule stays the webhook's. An explicit {@code mode: native} counts whether or not the Flink
   * operator has deployed it yet: admission would have refused it at creation, and an HPA on a
   * native cluster redeploys the whole cluster on every step.
   */
  public Optional<Finding> refusalWithoutAdmission(JsonNode stored) {
    return refusal(true, stored);
  }

  /**
   * What the reconciler says instead of acting on a deployment that {@link
   * #refusalWithoutAdmission} refuses (its Event and the policy condition): why, and the fix.
   */
  public static String notAdmittedMessage(Finding refused) {
    return "left as it is (no placement, Reactive Mode defaults or HPA): the admission webhook is"
        + " off (controller --no-webhook) and would deny it; "
        + refused.field()
        + ": "
        + refused.message();
  }

  /** True while the Flink operator has not deployed the spec yet: a write restarts nothing. */
  public static boolean notYetDeployed(JsonNode raw) {
    String lastReconciled =
        raw.path("status").path("reconciliationStatus").path("lastReconciledSpec").asText("");
    return lastReconciled.isEmpty();
  }
}
