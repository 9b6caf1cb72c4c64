package dev.flinkspot.placement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.PolicyResolver;
import java.util.List;

/**
 * The one decision both the admission webhook and the reconciler take for a FlinkDeployment: leave
 * it alone (and why), report a conflict, or place it. Pure.
 */
public sealed interface PlacementDecision {

  /** Not governed: no opt-in. Nothing to say. */
  record NotGoverned() implements PlacementDecision {}

  /** Governed, but the policy cannot be applied; the deployment is left as it is. */
  record Skipped(SkipReason reason, String policyName, String message)
      implements PlacementDecision {}

  /** The user's own placement contradicts the policy; left as written. */
  record Conflict(PlacementPolicy policy, List<String> messages) implements PlacementDecision {}

  /** The placement is already in the deployment: nothing to write. */
  record InPlace(PlacementPolicy policy) implements PlacementDecision {}

  /** The deployment needs the placed form. */
  record Place(PlacementPolicy policy, ObjectNode placed) implements PlacementDecision {}

  /** Why a governed deployment was skipped. */
  enum SkipReason {
    POLICY_NOT_FOUND,
    POLICY_INVALID,
    AMBIGUOUS_DEFAULT
  }

  /** Decides for one deployment (its raw JSON) given how its policy resolved. */
  static PlacementDecision decide(JsonNode deployment, PolicyResolver.Resolution resolution) {
    if (resolution instanceof PolicyResolver.Missing m) {
      return new Skipped(
          SkipReason.POLICY_NOT_FOUND,
          m.policyName(),
          "FlinkSpotPolicy " + m.policyName() + " does not exist in this namespace");
    }
    if (resolution instanceof PolicyResolver.Invalid i) {
      return new Skipped(
          SkipReason.POLICY_INVALID,
          i.policyName(),
          "FlinkSpotPolicy " + i.policyName() + " is invalid: " + i.message());
    }
    if (resolution instanceof PolicyResolver.AmbiguousDefault a) {
      return new Skipped(
          SkipReason.AMBIGUOUS_DEFAULT,
          String.join(",", a.policyNames()),
          "several FlinkSpotPolicies claim to be the namespace default: " + a.policyNames());
    }
    if (resolution instanceof PolicyResolver.Governed g) {
      Placement.Outcome outcome = Placement.place(deployment, g.policy());
      if (outcome.conflicting()) {
        return new Conflict(g.policy(), outcome.conflicts());
      }
      return outcome.changed() ? new Place(g.policy(), outcome.placed()) : new InPlace(g.policy());
    }
    return new NotGoverned();
  }
}
