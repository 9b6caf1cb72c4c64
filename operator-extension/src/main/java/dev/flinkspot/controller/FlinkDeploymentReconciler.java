package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flinkspot.desired.DesiredDeployment;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.WriteRejected;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.placement.PlacementDecision;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.scaling.Finding;
import dev.flinkspot.scaling.HpaLookup;
import dev.flinkspot.scaling.ReactiveForm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Reconciles one FlinkDeployment: observe (the raw object and its policy) → decide (the pure {@link
 * DesiredDeployment}, the same answer the webhook acts on) → record (one Event per decision and per
 * Reactive Mode finding) → act (at most one JSON patch with the placement and the Reactive Mode
 * defaults, the same object the webhook would have admitted, and only when something is missing and
 * a restart is allowed). A placed and defaulted deployment is a fixed point: reconciling it again
 * writes nothing.
 */
public final class FlinkDeploymentReconciler {

  private final Writer writer;
  private final PolicyLookup policies;
  private final EventRecorder events;
  private final HpaLookup hpas;

  public FlinkDeploymentReconciler(
      KubernetesClient client, PolicyLookup policies, EventRecorder events) {
    this(new Writer(client), policies, events, HpaLookup.NONE);
  }

  /** With {@code hpas}, the Reactive Mode findings also cover the namespace's HPAs. */
  public FlinkDeploymentReconciler(
      Writer writer, PolicyLookup policies, EventRecorder events, HpaLookup hpas) {
    this.writer = writer;
    this.policies = policies;
    this.events = events;
    this.hpas = hpas;
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
    JsonNode raw =
        writer.client().getKubernetesSerialization().convertValue(deployment, JsonNode.class);
    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> labels = deployment.getMetadata().getLabels();
    var target = FlinkDeployments.target(deployment);

    DesiredDeployment want =
        DesiredDeployment.of(
            raw,
            PolicyResolver.resolve(namespace, labels, policies),
            ReactiveForm.deployedMode(raw),
            hpas.inNamespace(namespace));
    PlacementDecision decision = want.placement();

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
    PlacementPolicy policy = want.policy();
    for (Finding f : want.findings()) {
      events.record(target, EventReason.valueOf(f.reason().name()), f.message());
    }
    boolean notYetDeployed = DesiredDeployment.notYetDeployed(raw);
    if (!want.changes(raw, notYetDeployed)) {
      events.record(
          target,
          EventReason.PlacementInPlace,
          "placement of FlinkSpotPolicy " + policy.name() + " is in place");
      return Result.IN_PLACE;
    }
    if (!want.writeAllowed(notYetDeployed)) {
      events.record(
          target,
          EventReason.RepairSkipped,
          want.missing()
              + " of FlinkSpotPolicy "
              + policy.name()
              + " "
              + want.missingVerb()
              + " missing; not written because the policy does not set repairExisting"
              + " (writing it restarts the Flink cluster)");
      return Result.REPAIR_SKIPPED;
    }
    ArrayNode patch = want.patch(raw);
    patch
        .insertObject(0)
        .put("op", "test")
        .put("path", "/metadata/resourceVersion")
        .put("value", deployment.getMetadata().getResourceVersion());
    try {
      if (writer.jsonPatch(FlinkDeployments.CONTEXT, deployment, patch.toString()).retry()) {
        return Result.RETRY;
      }
    } catch (WriteRejected e) {
      // Not a race: asking again at once gets the same answer. The queue backs off; the policy
      // status names the deployment and the denial too (PolicyReconciler).
      events.record(
          target,
          EventReason.RepairFailed,
          want.missing()
              + " of FlinkSpotPolicy "
              + policy.name()
              + " refused by the API server (HTTP "
              + e.code()
              + "): "
              + e.denial()
              + "; retried with backoff (up to every 5 min) and at once when the deployment or"
              + " its policy changes");
      throw e;
    }
    events.record(
        target,
        EventReason.Placed,
        want.missing()
            + " of FlinkSpotPolicy "
            + policy.name()
            + " written ("
            + (notYetDeployed ? "not yet deployed by the Flink operator" : "repairExisting")
            + ")");
    return Result.REPAIRED;
  }

  private static EventReason reasonOf(PlacementDecision.SkipReason reason) {
    return switch (reason) {
      case POLICY_NOT_FOUND -> EventReason.PolicyNotFound;
      case POLICY_INVALID -> EventReason.PolicyInvalid;
      case AMBIGUOUS_DEFAULT -> EventReason.AmbiguousDefaultPolicy;
    };
  }
}
