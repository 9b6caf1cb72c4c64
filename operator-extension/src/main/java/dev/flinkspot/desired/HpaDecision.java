package dev.flinkspot.desired;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.kube.MetadataMerge;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.scaling.ScaleTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.List;

/**
 * What to do with the HPA of one FlinkDeployment, decided from the deployment, its policy
 * resolution and the same-named HPA as observed. Pure: the caller does the one write it names.
 * flinkspot only ever writes HPAs that carry its label; it deletes only those that also carry the
 * deployment's owner reference, and it never writes the FlinkDeployment here.
 */
public sealed interface HpaDecision {

  /** A decision that writes {@code hpa} for {@code policy}: {@link Create} or {@link Update}. */
  interface Apply {
    HorizontalPodAutoscaler hpa();

    String policy();

    /** The findings on the written HPA (e.g. bounds clamped). */
    List<Finding> findings();
  }

  /** No HPA yet: create this one. */
  record Create(HorizontalPodAutoscaler hpa, String policy, List<Finding> findings)
      implements HpaDecision, Apply {}

  /**
   * Our HPA drifted or the policy changed: replace the owned fields (the observed copy, merged).
   */
  record Update(HorizontalPodAutoscaler hpa, String policy, List<Finding> findings)
      implements HpaDecision, Apply {}

  /** Our HPA is no longer wanted (the deployment left the policy or scaling is off). */
  record Delete(String name, String why) implements HpaDecision {}

  /** Nothing to write. */
  record Keep(KeepReason reason, String message) implements HpaDecision {}

  /** A same-named HPA without our label exists: it is not taken over, updated or deleted. */
  record Refuse(String name, String message) implements HpaDecision {}

  /** Why nothing is written. */
  enum KeepReason {
    /** Our HPA equals the desired one in every owned field. */
    IN_SYNC,
    /** Not scaled by a policy, and no HPA of ours to remove. */
    NOT_SCALED,
    /** The policy is invalid (or the default ambiguous): the HPA keeps its last good spec. */
    POLICY_INVALID,
    /** The HPA is being deleted (e.g. by the garbage collector); its deletion re-triggers us. */
    BEING_DELETED,
    /** It carries our label but is owned by another object: not ours to delete. */
    NOT_OWNED
  }

  /**
   * @param deployment the raw FlinkDeployment (metadata with uid, spec)
   * @param resolution its policy resolution
   * @param observed the HPA named like the deployment in its namespace, or null
   */
  static HpaDecision decide(
      JsonNode deployment, PolicyResolver.Resolution resolution, HorizontalPodAutoscaler observed) {
    ScaleTarget target = ScaleTarget.of(deployment);
    String name = target.name();
    if (observed != null
        && observed.getMetadata() != null
        && observed.getMetadata().getDeletionTimestamp() != null) {
      return new Keep(KeepReason.BEING_DELETED, "HorizontalPodAutoscaler " + name + " is deleted");
    }
    if (resolution instanceof PolicyResolver.Invalid invalid) {
      return observed == null
          ? new Keep(KeepReason.NOT_SCALED, "FlinkSpotPolicy " + invalid.policyName() + " invalid")
          : new Keep(
              KeepReason.POLICY_INVALID,
              "HorizontalPodAutoscaler "
                  + name
                  + " keeps its last good spec while FlinkSpotPolicy "
                  + invalid.policyName()
                  + " is invalid: "
                  + invalid.message());
    }
    if (resolution instanceof PolicyResolver.AmbiguousDefault ambiguous) {
      return new Keep(
          observed == null ? KeepReason.NOT_SCALED : KeepReason.POLICY_INVALID,
          "several FlinkSpotPolicies are the namespace default "
              + ambiguous.policyNames()
              + ": HorizontalPodAutoscaler "
              + name
              + " is left as it is");
    }
    if (resolution instanceof PolicyResolver.Governed governed
        && governed.policy().scaling() != null
        && governed.policy().scaling().enabled()) {
      String policy = governed.policy().name();
      var desired = HpaSpecs.desired(target, governed.policy().scaling());
      if (observed == null) {
        return new Create(desired.hpa(), policy, desired.findings());
      }
      if (!HpaSpecs.isOurs(observed)) {
        return new Refuse(name, foreignMessage(target, policy));
      }
      if (!HpaSpecs.needsUpdate(desired.hpa(), observed)) {
        return new Keep(
            KeepReason.IN_SYNC, "HorizontalPodAutoscaler " + name + " matches the policy");
      }
      return new Update(merge(observed, desired.hpa()), policy, desired.findings());
    }
    // Not governed, governed without scaling, or the named policy is gone: ours must go.
    String why =
        resolution instanceof PolicyResolver.Governed g
            ? "FlinkSpotPolicy " + g.policy().name() + " does not scale it"
            : resolution instanceof PolicyResolver.Missing m
                ? "FlinkSpotPolicy " + m.policyName() + " no longer exists"
                : "the deployment is no longer governed by a FlinkSpotPolicy";
    if (observed == null || !HpaSpecs.isOurs(observed)) {
      return new Keep(KeepReason.NOT_SCALED, why);
    }
    if (!ownedBy(observed, target.uid())) {
      return new Keep(
          KeepReason.NOT_OWNED,
          "HorizontalPodAutoscaler "
              + name
              + " carries the flinkspot label but no owner reference to this FlinkDeployment;"
              + " not deleted");
    }
    return new Delete(name, why);
  }

  /** Whether the HPA names the deployment (by uid) as an owner. */
  static boolean ownedBy(HorizontalPodAutoscaler hpa, String uid) {
    return OwnerReferences.owns(hpa.getMetadata().getOwnerReferences(), uid);
  }

  /**
   * The observed HPA with the fields flinkspot owns replaced: the spec, our labels (others kept)
   * and our controller owner reference (other owner references kept). Keeps the resourceVersion, so
   * the update fails rather than overwrite a newer edit.
   */
  static HorizontalPodAutoscaler merge(
      HorizontalPodAutoscaler observed, HorizontalPodAutoscaler desired) {
    return new HorizontalPodAutoscalerBuilder(observed)
        .withMetadata(MetadataMerge.ours(observed.getMetadata(), desired.getMetadata()))
        .withSpec(desired.getSpec())
        .build();
  }

  private static String foreignMessage(ScaleTarget target, String policy) {
    return "HorizontalPodAutoscaler "
        + target.name()
        + " exists without the label "
        + Names.MANAGED_BY_LABEL
        + "="
        + Names.MANAGED_BY
        + ", so flinkspot neither takes it over nor deletes it, and the scaling of FlinkSpotPolicy "
        + policy
        + " is not applied; delete it (kubectl delete hpa -n "
        + target.namespace()
        + " "
        + target.name()
        + ") to let flinkspot create its own, or set scaling.enabled: false in the policy";
  }
}
