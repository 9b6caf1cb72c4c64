package dev.flinkspot.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.desired.HpaDecision;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.EventRecorder.Entry;
import dev.flinkspot.kube.Write;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import dev.flinkspot.scaling.Finding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The HPA step of a FlinkDeployment reconcile: observe (the deployment, its policy, the same-named
 * HPA from the cache of ours, or by GET when creating it finds one there already) → decide ({@link
 * HpaDecision}) → act (at most one HPA write) → record (an Event per action). Never writes the
 * FlinkDeployment: the HPA controller owns {@code spec.taskManager.replicas} through the scale
 * subresource.
 */
public final class HpaReconciler {

  /** What the step did. */
  public enum Result {
    CREATED,
    UPDATED,
    DELETED,
    KEPT,
    REFUSED,
    /** The write lost a race; reconcile again. */
    RETRY
  }

  private final Writer writer;
  private final PolicyLookup policies;
  private final BiFunction<String, String, HorizontalPodAutoscaler> cached;
  private final EventRecorder events;

  /**
   * @param cached flinkspot's HPAs by namespace and name (the informer's cache)
   * @param events where its Events go (their slot is the HPA's, apart from the placement's)
   */
  public HpaReconciler(
      Writer writer,
      PolicyLookup policies,
      BiFunction<String, String, HorizontalPodAutoscaler> cached,
      EventRecorder events) {
    this.writer = writer;
    this.policies = policies;
    this.cached = cached;
    this.events = events;
  }

  public Result reconcile(GenericKubernetesResource deployment) {
    return reconcile(deployment, events);
  }

  /** Reconciles, recording to {@code events} (the {@link PlacementStep}'s batch). */
  public Result reconcile(GenericKubernetesResource deployment, EventRecorder events) {
    String namespace = deployment.getMetadata().getNamespace();
    String name = deployment.getMetadata().getName();
    JsonNode raw =
        writer.client().getKubernetesSerialization().convertValue(deployment, JsonNode.class);
    var resolution =
        PolicyResolver.resolve(namespace, deployment.getMetadata().getLabels(), policies);
    HpaDecision decision = HpaDecision.decide(raw, resolution, cached.apply(namespace, name));
    var target = FlinkDeployments.target(deployment);
    if (decision instanceof HpaDecision.Create c) {
      String created = writtenMessage(" created for", "", c);
      if (!writer.create(c.hpa(), created).retry()) {
        written(events, target, EventReason.HpaCreated, created, c);
        return Result.CREATED;
      }
      // Only ours are cached: one of that name exists (someone else's, or ours not seen yet).
      // Read on this 409 only, not before every create (one request less per new deployment).
      HorizontalPodAutoscaler existing = hpas(namespace).withName(name).get();
      if (existing == null) {
        return Result.RETRY; // gone meanwhile
      }
      decision = HpaDecision.decide(raw, resolution, existing);
    }
    if (decision instanceof HpaDecision.Update u) {
      String setBack = writtenMessage(" set back to", " (policy change or edit)", u);
      if (writer.update(u.hpa(), setBack).retry()) {
        return Result.RETRY;
      }
      written(events, target, EventReason.HpaUpdated, setBack, u);
      return Result.UPDATED;
    }
    if (decision instanceof HpaDecision.Delete d) {
      HorizontalPodAutoscaler observed = cached.apply(namespace, d.name());
      String deletedWhy = "HorizontalPodAutoscaler " + d.name() + " deleted: " + d.why();
      Write deleted = observed == null ? Write.UNCHANGED : writer.deleteOurs(observed, deletedWhy);
      if (deleted.retry()) {
        return Result.RETRY;
      }
      events.recordAll(target, List.of(Entry.changed(EventReason.HpaDeleted, NO_HPA, deletedWhy)));
      return Result.DELETED;
    }
    if (decision instanceof HpaDecision.Refuse r) {
      events.record(target, EventReason.ForeignHpa, r.message());
      return Result.REFUSED;
    }
    var keep = (HpaDecision.Keep) decision;
    if (keep.reason() == HpaDecision.KeepReason.POLICY_INVALID) {
      events.record(target, EventReason.HpaKept, keep.message());
    } else if (keep.reason() == HpaDecision.KeepReason.IN_SYNC) {
      // No Event, but the state: a later HpaKept or ForeignHpa is news again.
      events.recordAll(target, List.of(Entry.silent(EventReason.HpaUpdated, "in sync")));
    } else if (keep.reason() == HpaDecision.KeepReason.NOT_SCALED) {
      events.recordAll(target, List.of(Entry.silent(EventReason.HpaDeleted, NO_HPA)));
    }
    return Result.KEPT;
  }

  /** A create or update: what was written, with the bounds and the findings on them. */
  private static String writtenMessage(String verb, String why, HpaDecision.Apply decision) {
    var hpa = decision.hpa();
    return "HorizontalPodAutoscaler "
        + hpa.getMetadata().getName()
        + verb
        + " FlinkSpotPolicy "
        + decision.policy()
        + why
        + ": "
        + bounds(hpa)
        + findings(decision.findings());
  }

  /** A create or update: its Event, a new state of the HPA slot. */
  private static void written(
      EventRecorder events,
      dev.flinkspot.kube.EventTarget target,
      EventReason reason,
      String message,
      HpaDecision.Apply decision) {
    events.recordAll(
        target, List.of(Entry.changed(reason, inSync(decision.policy(), decision.hpa()), message)));
  }

  /** The HPA slot's state when there is none of ours. */
  private static final String NO_HPA = "no HPA";

  /** The HPA slot's state when ours matches the policy. */
  private static String inSync(String policy, HorizontalPodAutoscaler hpa) {
    return "in sync with " + policy + ": " + bounds(hpa);
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          HorizontalPodAutoscaler,
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerList,
          io.fabric8.kubernetes.client.dsl.Resource<HorizontalPodAutoscaler>>
      hpas(String namespace) {
    return writer.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace);
  }

  private static String bounds(HorizontalPodAutoscaler hpa) {
    return hpa.getSpec().getMinReplicas() + "-" + hpa.getSpec().getMaxReplicas() + " TaskManagers";
  }

  private static String findings(List<Finding> findings) {
    StringBuilder out = new StringBuilder();
    findings.forEach(f -> out.append("; ").append(f.message()));
    return out.toString();
  }
}
