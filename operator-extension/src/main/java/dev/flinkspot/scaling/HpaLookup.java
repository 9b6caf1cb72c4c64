package dev.flinkspot.scaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;

/**
 * The HorizontalPodAutoscalers of a namespace, as the controller last saw them (an informer's
 * cache): what {@link ReactiveValidator} checks for foreign HPAs and bounds above the policy.
 */
@FunctionalInterface
public interface HpaLookup {

  /** No HPAs known (yet): the HPA checks find nothing. */
  HpaLookup NONE = namespace -> List.of();

  List<HorizontalPodAutoscaler> inNamespace(String namespace);
}
