package dev.flinkspot.controller;

import dev.flinkspot.kube.EventTarget;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.FlinkSpotPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * FlinkDeployments as raw {@link GenericKubernetesResource}s: the controller reads every field and
 * writes only JSON patches of what it owns, so no typed model can drop a field it does not know.
 */
public final class FlinkDeployments {

  public static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup(Names.FLINK_GROUP)
          .withVersion(Names.FLINK_VERSION)
          .withKind(Names.FLINK_DEPLOYMENT_KIND)
          .withPlural("flinkdeployments")
          .withNamespaced(true)
          .build();

  private FlinkDeployments() {}

  public static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      in(KubernetesClient client) {
    return client.genericKubernetesResources(CONTEXT);
  }

  public static EventTarget target(GenericKubernetesResource d) {
    return new EventTarget(
        Names.FLINK_DEPLOYMENT_API_VERSION,
        Names.FLINK_DEPLOYMENT_KIND,
        d.getMetadata().getNamespace(),
        d.getMetadata().getName(),
        d.getMetadata().getUid());
  }

  public static EventTarget target(FlinkSpotPolicy p) {
    return new EventTarget(
        FlinkSpotPolicy.GROUP + "/" + FlinkSpotPolicy.VERSION,
        "FlinkSpotPolicy",
        p.getMetadata().getNamespace(),
        p.getMetadata().getName(),
        p.getMetadata().getUid());
  }

  /** The policy label's value, or null. */
  public static String policyLabel(GenericKubernetesResource d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels == null ? null : labels.get(FlinkSpotPolicy.POLICY_LABEL);
  }
}
