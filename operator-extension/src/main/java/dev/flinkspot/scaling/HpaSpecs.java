package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.scaling.Finding.Reason;
import dev.flinkspot.scaling.ScalingPolicy.ScaleRules;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the HPA of a scaled FlinkDeployment is decided: one {@code autoscaling/v2}
 * HorizontalPodAutoscaler targeting the FlinkDeployment's scale subresource, and whether an
 * observed HPA has drifted from it. Pure: no client.
 */
public final class HpaSpecs {

  /** Names the FlinkDeployment an HPA belongs to, so it can be found by label. */
  public static final String DEPLOYMENT_LABEL = "flinkspot.dev/flinkdeployment";

  /** Quantity-valued fields of a MetricTarget: the API server rewrites them in canonical form. */
  private static final Set<String> QUANTITY_FIELDS = Set.of("value", "averageValue");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HpaSpecs() {}

  /** The desired HPA and what had to be adjusted to make it (e.g. the max clamped). */
  public record Desired(HorizontalPodAutoscaler hpa, List<Finding> findings) {}

  /**
   * The HPA for a deployment under a valid, enabled policy. Its name is the deployment's (as {@code
   * kubectl autoscale} names them); both bounds are clamped to what the job can use, floor(max
   * parallelism / slots), and a clamp is reported.
   */
  public static Desired desired(ScaleTarget target, ScalingPolicy policy) {
    if (policy == null || !policy.enabled()) {
      throw new IllegalArgumentException("no HPA for a policy with scaling off");
    }
    int usable = target.usableTaskManagers();
    int max = Math.min(policy.maxTaskManagers(), usable);
    int min = Math.min(policy.minTaskManagers(), max);
    List<Finding> findings = new ArrayList<>();
    if (max < policy.maxTaskManagers()) {
      findings.add(
          Finding.warning(
              Reason.HpaBoundClamped,
              "scaling.maxTaskManagers",
              "the HPA for "
                  + target.name()
                  + " allows "
                  + max
                  + " TaskManagers, not scaling.maxTaskManagers ("
                  + policy.maxTaskManagers()
                  + (min < policy.minTaskManagers()
                      ? ") nor at least scaling.minTaskManagers (" + policy.minTaskManagers()
                      : "")
                  + "): max parallelism "
                  + target.maxParallelism()
                  + " / "
                  + target.slotsPerTaskManager()
                  + " slots fills only "
                  + usable
                  + "; raise pipeline.max-parallelism before the first run or lower the policy's"
                  + " bounds"));
    }
    List<MetricSpec> metrics = new ArrayList<>();
    metrics.add(
        new MetricSpecBuilder()
            .withType("Resource")
            .withNewResource()
            .withName("cpu")
            .withNewTarget()
            .withType("Utilization")
            .withAverageUtilization(policy.targetCpuUtilizationPercent())
            .endTarget()
            .endResource()
            .build());
    policy.metrics().forEach(m -> metrics.add(new MetricSpecBuilder(m).build()));

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    labels.put(DEPLOYMENT_LABEL, target.name());
    HorizontalPodAutoscaler hpa =
        new HorizontalPodAutoscalerBuilder()
            .withNewMetadata()
            .withName(target.name())
            .withNamespace(target.namespace())
            .withLabels(labels)
            .withOwnerReferences(OwnerReferences.flinkDeployment(target.name(), target.uid()))
            .endMetadata()
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
            .withKind(Names.FLINK_DEPLOYMENT_KIND)
            .withName(target.name())
            .endScaleTargetRef()
            .withMinReplicas(min)
            .withMaxReplicas(max)
            .withMetrics(metrics)
            .withNewBehavior()
            .withScaleUp(rules(policy.scaleUp()))
            .withScaleDown(rules(policy.scaleDown()))
            .endBehavior()
            .endSpec()
            .build();
    return new Desired(hpa, List.copyOf(findings));
  }

  /**
   * One direction of the behaviour: at most {@code maxTaskManagersPerPeriod} TaskManagers or {@code
   * maxPercentPerPeriod} percent per period, whichever allows more ({@code selectPolicy: Max}).
   */
  static HPAScalingRules rules(ScaleRules r) {
    return new HPAScalingRulesBuilder()
        .withStabilizationWindowSeconds(r.stabilizationWindowSeconds())
        .withSelectPolicy("Max")
        .addNewPolicy()
        .withType("Pods")
        .withValue(r.maxTaskManagersPerPeriod())
        .withPeriodSeconds(r.periodSeconds())
        .endPolicy()
        .addNewPolicy()
        .withType("Percent")
        .withValue(r.maxPercentPerPeriod())
        .withPeriodSeconds(r.periodSeconds())
        .endPolicy()
        .build();
  }

  /**
   * Whether the observed HPA differs from the desired one in a field flinkspot owns: the spec
   * fields it sets, its labels and its owner reference. Fields the API server (or another tool)
   * adds — defaults, status, annotations, extra labels, canonical quantity spellings — are not
   * drift.
   */
  public static boolean needsUpdate(
      HorizontalPodAutoscaler desired, HorizontalPodAutoscaler observed) {
    if (observed == null) {
      return true;
    }
    JsonNode d = MAPPER.valueToTree(desired);
    JsonNode o = MAPPER.valueToTree(observed);
    if (!covers(o.path("spec"), d.path("spec"), "spec")) {
      return true;
    }
    if (!covers(o.path("metadata").path("labels"), d.path("metadata").path("labels"), "labels")) {
      return true;
    }
    for (JsonNode ref : d.path("metadata").path("ownerReferences")) {
      boolean found = false;
      for (JsonNode seen : o.path("metadata").path("ownerReferences")) {
        found |= covers(seen, ref, "ownerReference");
      }
      if (!found) {
        return true;
      }
    }
    return false;
  }

  /** Whether the HPA scales the FlinkDeployment of that name. */
  public static boolean targets(HorizontalPodAutoscaler hpa, String deploymentName) {
    CrossVersionObjectReference ref =
        hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
    return ref != null
        && Names.FLINK_DEPLOYMENT_KIND.equals(ref.getKind())
        && deploymentName.equals(ref.getName())
        && ref.getApiVersion() != null
        && ref.getApiVersion().startsWith(Names.FLINK_GROUP + "/");
  }

  /** The FlinkDeployment an HPA belongs to: its label, else its own name (they are the same). */
  public static String deploymentOf(HorizontalPodAutoscaler hpa) {
    var labels = hpa.getMetadata().getLabels();
    String named = labels == null ? null : labels.get(DEPLOYMENT_LABEL);
    return named == null ? hpa.getMetadata().getName() : named;
  }

  /** Whether flinkspot manages the HPA (by its label). */
  public static boolean isOurs(HorizontalPodAutoscaler hpa) {
    return hpa.getMetadata() != null && Names.managedByUs(hpa.getMetadata().getLabels());
  }

  /** Whether every field set in {@code desired} has the same value in {@code observed}. */
  static boolean covers(JsonNode observed, JsonNode desired, String field) {
    if (desired == null || desired.isNull() || desired.isMissingNode()) {
      return true;
    }
    if (observed == null || observed.isNull() || observed.isMissingNode()) {
      // The API server omits empty lists and maps: an empty desired container is not drift.
      return vacuous(desired);
    }
    if (desired.isObject()) {
      if (!observed.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!covers(observed.get(e.getKey()), e.getValue(), e.getKey())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!observed.isArray() || observed.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(observed.get(i), desired.get(i), field)) {
          return false;
        }
      }
      return true;
    }
    if (desired.isNumber() && observed.isNumber()) {
      return desired.decimalValue().compareTo(observed.decimalValue()) == 0;
    }
    if (QUANTITY_FIELDS.contains(field) && desired.isTextual() && observed.isTextual()) {
      return sameQuantity(desired.asText(), observed.asText());
    }
    return desired.equals(observed);
  }

  /** Empty, or an object holding only nulls and empty containers: nothing the server keeps. */
  private static boolean vacuous(JsonNode node) {
    if (node.isNull()) {
      return true;
    }
    if (node.isArray()) {
      return node.isEmpty();
    }
    if (!node.isObject()) {
      return false;
    }
    for (JsonNode child : node) {
      if (!vacuous(child)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameQuantity(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      BigDecimal x = new Quantity(a).getNumericalAmount();
      BigDecimal y = new Quantity(b).getNumericalAmount();
      return x.compareTo(y) == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
