package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.placement.PlacementDecision;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.webhook.JsonPatchDiff;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one FlinkDeployment: observe (the raw object and its policy) → decide (the pure {@link
 * PlacementDecision}) → record (one Event per decision) → act (at most one JSON patch, and only
 * when placement is missing and a restart is allowed). A placed deployment is a fixed point:
 * reconciling it again writes nothing.
 */
public final class FlinkDeploymentReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkDeploymentReconciler.class);

  private final KubernetesClient client;
  private final PolicyLookup policies;
  private final EventRecorder events;

  public FlinkDeploymentReconciler(
      KubernetesClient client, PolicyLookup policies, EventRecorder events) {
    this.client = client;
    this.policies = policies;
    this.events = events;
  }

  /** What a reconcile did. */
  public enum Result {
    NOT_GOVERNED,
    SKIPPED,
    CONFLICT,
    IN_PLACE,
    REPAIRED,
    REPAIR_SKIPPED,
    /** The write lost a race (the object changed); reconcile again. */
    RETRY
  }

  public Result reconcile(GenericKubernetesResource deployment) {
    JsonNode raw = client.getKubernetesSerialization().convertValue(deployment, JsonNode.class);
    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> labels = deployment.getMetadata().getLabels();
    var target = FlinkDeployments.target(deployment);

    PlacementDecision decision =
        PlacementDecision.decide(raw, PolicyResolver.resolve(namespace, labels, policies));

    if (decision instanceof PlacementDecision.NotGoverned) {
      return Result.NOT_GOVERNED;
    }
    if (decision instanceof PlacementDecision.Skipped s) {
      events.record(
          target, reasonOf(s.reason()), s.message() + "; the deployment is left as it is");
      return Result.SKIPPED;
    }
    if (decision instanceof PlacementDecision.Conflict c) {
      events.record(
          target,
          EventReason.PlacementConflict,
          "left as written: its placement contradicts FlinkSpotPolicy "
              + c.policy().name()
              + ": "
              + String.join("; ", c.messages()));
      return Result.CONFLICT;
    }
    if (decision instanceof PlacementDecision.InPlace p) {
      events.record(
          target,
          EventReason.PlacementInPlace,
          "placement of FlinkSpotPolicy " + p.policy().name() + " is in place");
      return Result.IN_PLACE;
    }
    var place = (PlacementDecision.Place) decision;
    boolean notYetDeployed = notYetDeployed(raw);
    if (!place.policy().repairExisting() && !notYetDeployed) {
      events.record(
          target,
          EventReason.RepairSkipped,
          "placement of FlinkSpotPolicy "
              + place.policy().name()
              + " is missing; not written because the policy does not set repairExisting"
              + " (writing it restarts the Flink cluster)");
      return Result.REPAIR_SKIPPED;
    }
    ArrayNode patch = JsonPatchDiff.diff(raw, place.placed());
    patch
        .insertObject(0)
        .put("op", "test")
        .put("path", "/metadata/resourceVersion")
        .put("value", deployment.getMetadata().getResourceVersion());
    try {
      FlinkDeployments.in(client)
          .inNamespace(namespace)
          .withName(deployment.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), patch.toString());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 422 || e.getCode() == 404) {
        LOG.debug("repair of {}/{} lost a race: {}", namespace, target.name(), e.getMessage());
        return Result.RETRY;
      }
      throw e;
    }
    events.record(
        target,
        EventReason.Placed,
        "placement of FlinkSpotPolicy "
            + place.policy().name()
            + " written ("
            + (notYetDeployed ? "not yet deployed by the Flink operator" : "repairExisting")
            + ")");
    return Result.REPAIRED;
  }

  /** True while the Flink operator has not deployed the spec yet: a write restarts nothing. */
  static boolean notYetDeployed(JsonNode raw) {
    String lastReconciled =
        raw.path("status").path("reconciliationStatus").path("lastReconciledSpec").asText("");
    return lastReconciled.isEmpty();
  }

  private static EventReason reasonOf(PlacementDecision.SkipReason reason) {
    return switch (reason) {
      case POLICY_NOT_FOUND -> EventReason.PolicyNotFound;
      case POLICY_INVALID -> EventReason.PolicyInvalid;
      case AMBIGUOUS_DEFAULT -> EventReason.AmbiguousDefaultPolicy;
    };
  }
}
