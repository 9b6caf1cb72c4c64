package dev.flinkspot.scaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;

/**
 * The HorizontalPodAutoscalers that target one FlinkDeployment, as the controller last saw them (an
 * informer's cache, indexed by target): what {@link ReactiveValidator} checks for foreign HPAs and
 * bounds above the policy. By target, not the whole namespace: a namespace of 10,000 deployments
 * has 10,000 HPAs, and every reconcile and admission would copy them all.
 */
@FunctionalInterface
public interface HpaLookup {

  /** No HPAs known (yet): the HPA checks find nothing. */
  HpaLookup NONE = (namespace, deployment) -> List.of();

  /** The HPAs of {@code namespace} whose scale target is the FlinkDeployment {@code deployment}. */
  List<HorizontalPodAutoscaler> targeting(String namespace, String deployment);
}
