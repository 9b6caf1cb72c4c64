package dev.flinkspot.controller;

import dev.flinkspot.desired.AdmissionReport;
import dev.flinkspot.desired.DesiredDeployment;
import dev.flinkspot.desired.ReactiveFindingsReport;
import dev.flinkspot.desired.ScalingStatusReport;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.Write;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.FlinkSpotPolicyStatus;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reconciles one FlinkSpotPolicy: validate → compute its status (Ready condition, governed
 * deployments, observed generation, and for a scaling policy its HPAs' status with ScalingReady) →
 * write it only if it changed → an Event when it is invalid. Without admission it also names the
 * governed deployments the webhook would deny (condition {@code DeploymentsAdmitted}).
 *
 * <p>Long because the status has five conditions, each assembled here from the deployments and a
 * pure report of {@code desired/}.
 */
public final class PolicyReconciler {

  public static final String READY = "Ready";

  /**
   * False while the API server refuses a repair of a governed deployment (e.g. a webhook denies
   * it); absent otherwise.
   */
  public static final String REPAIRS_ADMITTED = "RepairsAdmitted";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final PolicyLookup policies;
  private final PolicyStatusRecorder status;
  private final EventRecorder events;
  private final Clock clock;
  private final boolean admission;

  /**
   * The policy status step as the policy status loop runs it (and the test driver).
   *
   * @param admission whether the admission webhook runs; without it, {@code DeploymentsAdmitted}
   *     names the deployments it would deny
   */
  public static PolicyReconciler of(
      Writer writer, PolicyLookup policies, EventRecorder events, Clock clock, boolean admission) {
    return new PolicyReconciler(
        policies, new PolicyStatusRecorder(writer), events, clock, admission);
  }

  public PolicyReconciler(
      PolicyLookup policies, PolicyStatusRecorder status, EventRecorder events, Clock clock) {
    this(policies, status, events, clock, true);
  }

  PolicyReconciler(
      PolicyLookup policies,
      PolicyStatusRecorder status,
      EventRecorder events,
      Clock clock,
      boolean admission) {
    this.policies = policies;
    this.status = status;
    this.events = events;
    this.clock = clock;
    this.admission = admission;
  }

  /**
   * @param deployments the FlinkDeployments of the policy's namespace
   * @return what the status write did
   */
  public Write reconcile(
      FlinkSpotPolicy policy, Collection<GenericKubernetesResource> deployments) {
    return reconcile(policy, deployments, (namespace, name) -> null);
  }

  /**
   * @param deployments the FlinkDeployments of the policy's namespace
   * @param hpas flinkspot's HPAs by namespace and name (for the scaling status)
   * @return what the status write did
   */
  public Write reconcile(
      FlinkSpotPolicy policy,
      Collection<GenericKubernetesResource> deployments,
      BiFunction<String, String, HorizontalPodAutoscaler> hpas) {
    String name = policy.getMetadata().getName();
    String namespace = policy.getMetadata().getNamespace();
    PlacementPolicy.Result validated = PlacementPolicy.from(name, policy.getSpec());

    List<GenericKubernetesResource> governedDeployments =
        deployments.stream()
            .filter(d -> governs(name, namespace, d))
            .sorted(java.util.Comparator.comparing(d -> d.getMetadata().getName()))
            .toList();
    List<String> governed =
        governedDeployments.stream().map(d -> d.getMetadata().getName()).toList();
    Condition ready =
        new ConditionBuilder()
            .withType(READY)
            .withStatus(validated.valid() ? "True" : "False")
            .withReason(validated.valid() ? "Valid" : "Invalid")
            .withMessage(
                validated.valid()
                    ? "policy is valid and governs " + governed.size() + " FlinkDeployment(s)"
                    : validated.invalidMessage())
            .withObservedGeneration(policy.getMetadata().getGeneration())
            .withLastTransitionTime(
                DateTimeFormatter.ISO_INSTANT.format(
                    clock.instant().truncatedTo(ChronoUnit.SECONDS)))
            .build();
    var scaling =
        ScalingStatusReport.of(
            scaled(policy, validated), validated.valid(), governed, d -> hpas.apply(namespace, d));
    List<Condition> conditions = new ArrayList<>(List.of(ready));
    if (scaling.condition() != null) {
      conditions.add(
          condition(
              ScalingStatusReport.SCALING_READY,
              scaling.condition().status(),
              scaling.condition().reason(),
              scaling.condition().message(),
              policy,
              ready));
    }
    if (scaling.condition() != null && validated.valid()) {
      var findings = new java.util.LinkedHashMap<String, List<dev.flinkspot.scaling.Finding>>();
      for (var d : governedDeployments) {
        String deployment = d.getMetadata().getName();
        findings.put(
            deployment, findings(d, validated.policy(), hpas.apply(namespace, deployment)));
      }
      var reactive = ReactiveFindingsReport.of(findings);
      conditions.add(
          condition(
              ReactiveFindingsReport.REACTIVE_MODE_READY,
              reactive.status(),
              reactive.reason(),
              reactive.message(),
              policy,
              ready));
    }
    Condition refused = refusedRepairs(governedDeployments, policy, ready);
    if (refused != null) {
      conditions.add(refused);
    }
    var notAdmitted =
        admission || !validated.valid()
            ? null
            : AdmissionReport.of(notAdmitted(governedDeployments, namespace, hpas));
    if (notAdmitted != null) {
      conditions.add(
          condition(
              AdmissionReport.DEPLOYMENTS_ADMITTED,
              notAdmitted.status(),
              notAdmitted.reason(),
              notAdmitted.message(),
              policy,
              ready));
    }
    var desired =
        new FlinkSpotPolicyStatus(policy.getMetadata().getGeneration(), conditions, governed)
            .withScaling(scaling.entries(), scaling.counts());
    Write written = status.update(policy, desired);
    var target = FlinkDeployments.target(policy);
    if (validated.valid()) {
      events.record(target, EventReason.PolicyReady, "policy is valid");
    } else {
      events.record(
          target,
          EventReason.PolicyInvalid,
          validated.invalidMessage() + "; governed deployments keep their current placement");
    }
    return written;
  }

  /** A further condition, observed at the policy's generation, timed as {@code ready}. */
  private static Condition condition(
      String type,
      String status,
      String reason,
      String message,
      FlinkSpotPolicy policy,
      Condition ready) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(policy.getMetadata().getGeneration())
        .withLastTransitionTime(ready.getLastTransitionTime())
        .build();
  }

  /** {@link #REPAIRS_ADMITTED} False naming each refused deployment and its denial, or null. */
  private Condition refusedRepairs(
      List<GenericKubernetesResource> governed, FlinkSpotPolicy policy, Condition ready) {
    List<String> refused = new ArrayList<>();
    for (var d : governed) {
      String denial = status.writer().rejection(d);
      if (denial != null) {
        refused.add(d.getMetadata().getName() + ": " + denial);
      }
    }
    if (refused.isEmpty()) {
      return null;
    }
    // Bounded: the first few deployments in full, then a count (a condition message is shown
    // whole by kubectl describe).
    int shown = Math.min(refused.size(), 3);
    String message =
        "the API server refuses the repair of "
            + refused.size()
            + " FlinkDeployment(s); "
            + String.join("; ", refused.subList(0, shown))
            + (refused.size() > shown ? "; and " + (refused.size() - shown) + " more" : "");
    return condition(REPAIRS_ADMITTED, "False", "RepairRefused", message, policy, ready);
  }

  /** The governed deployments the webhook would deny, as the reconciler decides it. */
  private java.util.Map<String, dev.flinkspot.scaling.Finding> notAdmitted(
      List<GenericKubernetesResource> governed,
      String namespace,
      BiFunction<String, String, HorizontalPodAutoscaler> hpas) {
    var refused = new java.util.LinkedHashMap<String, dev.flinkspot.scaling.Finding>();
    for (var d : governed) {
      com.fasterxml.jackson.databind.JsonNode raw = JSON.valueToTree(d);
      HorizontalPodAutoscaler hpa = hpas.apply(namespace, d.getMetadata().getName());
      DesiredDeployment.of(
              raw,
              PolicyResolver.resolve(namespace, d.getMetadata().getLabels(), policies),
              dev.flinkspot.scaling.ReactiveForm.deployedMode(raw),
              hpa == null ? List.of() : List.of(hpa))
          .refusalWithoutAdmission(raw)
          .ifPresent(f -> refused.put(d.getMetadata().getName(), f));
    }
    return refused;
  }

  /** The findings the reconciler records as Events for this deployment (after its defaults). */
  private static List<dev.flinkspot.scaling.Finding> findings(
      GenericKubernetesResource d, PlacementPolicy policy, HorizontalPodAutoscaler hpa) {
    com.fasterxml.jackson.databind.JsonNode raw = JSON.valueToTree(d);
    return dev.flinkspot.scaling.ReactiveForm.of(
            raw,
            policy.scaling(),
            dev.flinkspot.scaling.ReactiveForm.deployedMode(raw),
            hpa == null ? List.of() : List.of(hpa))
        .findings();
  }

  /** Whether the policy asks for scaling; for an invalid policy, whether its spec would. */
  private static boolean scaled(FlinkSpotPolicy policy, PlacementPolicy.Result validated) {
    if (validated.valid()) {
      return validated.policy().scaling() != null && validated.policy().scaling().enabled();
    }
    var spec = policy.getSpec() == null ? null : policy.getSpec().scaling();
    return spec != null && !Boolean.FALSE.equals(spec.enabled());
  }

  private boolean governs(String policy, String namespace, GenericKubernetesResource d) {
    var resolution = PolicyResolver.resolve(namespace, d.getMetadata().getLabels(), policies);
    if (resolution instanceof PolicyResolver.Governed g) {
      return g.policy().name().equals(policy);
    }
    if (resolution instanceof PolicyResolver.Invalid i) {
      return i.policyName().equals(policy);
    }
    return false;
  }
}
