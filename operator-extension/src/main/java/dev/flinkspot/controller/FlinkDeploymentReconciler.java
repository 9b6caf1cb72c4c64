package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flinkspot.desired.DesiredDeployment;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.EventRecorder.Entry;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reconciles one FlinkDeployment: observe (the raw object and its policy) → decide (the pure {@link
 * DesiredDeployment}, the same answer the webhook acts on) → record (one Event per decision and per
 * Reactive Mode finding) → act (at most one JSON patch with the placement and the Reactive Mode
 * defaults, the same object the webhook would have admitted, and only when something is missing and
 * a restart is allowed). A placed and defaulted deployment is a fixed point: reconciling it again
 * writes nothing, Events included.
 *
 * <p>Without admission (the controller's {@code --no-webhook}) nothing refuses a deployment at
 * {@code kubectl apply}; one that the webhook would deny ({@link
 * DesiredDeployment#refusalWithoutAdmission}, the webhook's own rule) is then left as it is: no
 * placement, no defaults and (the {@link PlacementStep} stops) no HPA, but a {@code NotAdmitted}
 * Event naming the fix, and the policy's {@code DeploymentsAdmitted} condition.
 */
public final class FlinkDeploymentReconciler {

  private final Writer writer;
  private final PolicyLookup policies;
  private final EventRecorder events;
  private final HpaLookup hpas;
  private final boolean admission;

  public FlinkDeploymentReconciler(
      KubernetesClient client, PolicyLookup policies, EventRecorder events) {
    this(new Writer(client), policies, events, HpaLookup.NONE, true);
  }

  /**
   * @param hpas the HPAs targeting a deployment, for the Reactive Mode findings
   * @param admission whether the admission webhook runs (refusing what it denies)
   */
  public FlinkDeploymentReconciler(
      Writer writer,
      PolicyLookup policies,
      EventRecorder events,
      HpaLookup hpas,
      boolean admission) {
    this.writer = writer;
    this.policies = policies;
    this.events = events;
    this.hpas = hpas;
    this.admission = admission;
  }

  /** What a reconcile did. */
  public enum Result {
    NOT_GOVERNED,
    SKIPPED,
    CONFLICT,
    IN_PLACE,
    REPAIRED,
    REPAIR_SKIPPED,
    /** Admission is off and would deny it: left alone, no HPA either. */
    NOT_ADMITTED,
    /** The write lost a race (the object changed); reconcile again. */
    RETRY
  }

  public Result reconcile(GenericKubernetesResource deployment) {
    return reconcile(deployment, events);
  }

  /** Reconciles, recording to {@code events} (the {@link PlacementStep}'s batch). */
  public Result reconcile(GenericKubernetesResource deployment, EventRecorder events) {
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
            hpas.targeting(namespace, deployment.getMetadata().getName()));
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
    Optional<Finding> refused = admission ? Optional.empty() : want.refusalWithoutAdmission(raw);
    recordFindings(events, target, want.findings(), refused);
    if (refused.isPresent()) {
      events.record(
          target, EventReason.NotAdmitted, DesiredDeployment.notAdmittedMessage(refused.get()));
      return Result.NOT_ADMITTED;
    }
    String inPlace = "in place: " + policy.name();
    boolean notYetDeployed = DesiredDeployment.notYetDeployed(raw);
    if (!want.changes(raw, notYetDeployed)) {
      events.recordAll(
          target,
          List.of(
              Entry.observed(
                  EventReason.PlacementInPlace,
                  inPlace,
                  "placement of FlinkSpotPolicy " + policy.name() + " is in place")));
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
    String placed =
        want.missing()
            + " of FlinkSpotPolicy "
            + policy.name()
            + " written ("
            + (notYetDeployed ? "not yet deployed by the Flink operator" : "repairExisting")
            + ")";
    try {
      if (writer
          .jsonPatch(FlinkDeployments.CONTEXT, deployment, patch.toString(), placed)
          .retry()) {
        return Result.RETRY;
      }
    } catch (WriteRejected e) {
      // Not a race: asking again at once gets the same answer. The queue backs off; the policy
      // status names the deployment and the denial too (PolicyReconciler). The denial first: an
      // Event message is cut at 1 KiB, and the list of settings can be long.
      events.record(
          target,
          EventReason.RepairFailed,
          "the API server refused (HTTP "
              + e.code()
              + ") the repair of FlinkSpotPolicy "
              + policy.name()
              + ": "
              + e.denial()
              + "; retried with backoff (up to every 5 min) and at once when the deployment or"
              + " its policy changes. The repair: "
              + want.missing());
      throw e;
    }
    events.recordAll(target, List.of(Entry.changed(EventReason.Placed, inPlace, placed)));
    return Result.REPAIRED;
  }

  /**
   * One Event per finding (a Warning of its own reason, for alerting), except the one {@code
   * refused} names (its {@code NotAdmitted} Event says it); a finding that went away is cleared, so
   * that it is recorded again if it comes back.
   */
  private static void recordFindings(
      EventRecorder events,
      dev.flinkspot.kube.EventTarget target,
      List<Finding> findings,
      Optional<Finding> refused) {
    var present = java.util.EnumSet.noneOf(Finding.Reason.class);
    for (Finding f : findings) {
      present.add(f.reason());
      if (refused.isEmpty() || !refused.get().equals(f)) {
        events.record(target, EventReason.valueOf(f.reason().name()), f.message());
      }
    }
    for (Finding.Reason gone : Finding.Reason.values()) {
      EventReason reason = EventReason.valueOf(gone.name());
      // ForeignHpa shares the HPA step's slot, which that step keeps.
      if (!present.contains(gone) && reason.slot().equals(reason.name())) {
        events.clear(target, reason);
      }
    }
  }

  private static EventReason reasonOf(PlacementDecision.SkipReason reason) {
    return switch (reason) {
      case POLICY_NOT_FOUND -> EventReason.PolicyNotFound;
      case POLICY_INVALID -> EventReason.PolicyInvalid;
      case AMBIGUOUS_DEFAULT -> EventReason.AmbiguousDefaultPolicy;
    };
  }
}
