package dev.flinkspot.kube;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/**
 * The one owner reference flinkspot puts on what it creates for a FlinkDeployment (its HPA, its
 * FlinkCostReport): the deployment as controller, so that the garbage collector deletes them with
 * it and foreground deletion waits for them
 * (https://kubernetes.io/docs/concepts/architecture/garbage-collection/).
 */
public final class OwnerReferences {

  private OwnerReferences() {}

  /** The FlinkDeployment {@code name} with {@code uid} as controlling owner. */
  public static OwnerReference flinkDeployment(String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
        .withKind(Names.FLINK_DEPLOYMENT_KIND)
        .withName(name)
        .withUid(uid)
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code references} name the FlinkDeployment {@code uid} as an owner. */
  public static boolean owns(List<OwnerReference> references, String uid) {
    return uid != null
        && references != null
        && references.stream()
            .anyMatch(
                o -> uid.equals(o.getUid()) && Names.FLINK_DEPLOYMENT_KIND.equals(o.getKind()));
  }

  /** Whether {@code references} name the FlinkDeployment {@code uid} as controller. */
  public static boolean controlledBy(List<OwnerReference> references, String uid) {
    return references != null
        && references.stream()
            .anyMatch(
                o ->
                    uid.equals(o.getUid())
                        && Names.FLINK_DEPLOYMENT_KIND.equals(o.getKind())
                        && Boolean.TRUE.equals(o.getController()));
  }
}
