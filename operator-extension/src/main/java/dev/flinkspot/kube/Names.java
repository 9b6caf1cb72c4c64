package dev.flinkspot.kube;

/**
 * The names flinkspot shares with Kubernetes and the Flink operator, each in one place: what a
 * FlinkDeployment is called, and the labels flinkspot writes and reads.
 */
public final class Names {

  /**
   * Group, version and kind of the Flink Kubernetes Operator's custom resource (operator 1.10,
   * flink-kubernetes-operator-api: {@code
   * META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml}).
   */
  public static final String FLINK_GROUP = "flink.apache.org";

  public static final String FLINK_VERSION = "v1beta1";
  public static final String FLINK_DEPLOYMENT_API_VERSION = FLINK_GROUP + "/" + FLINK_VERSION;
  public static final String FLINK_DEPLOYMENT_KIND = "FlinkDeployment";

  /** A job run on a session cluster (a FlinkDeployment without a job), same group and version. */
  public static final String FLINK_SESSION_JOB_KIND = "FlinkSessionJob";

  /**
   * Marks what flinkspot created (HPAs, cost reports): only these are ever updated or deleted. The
   * recommended label
   * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
   */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY = "flinkspot";

  /** The node-pool label of the eksctl and Karpenter configs: jobmanager / taskmanager. */
  public static final String POOL_LABEL = "flinkspot.dev/pool";

  /**
   * Put by the placement on the JobManager and TaskManager pod templates of every deployment a
   * policy governs (and by flinkspot on any pod it creates itself): the controller's pod informer
   * selects on it, so the pods of other workloads are never received. The Flink operator copies
   * pod-template labels onto the pods (apache/flink,
   * docs/content/docs/deployment/resource-providers/native_kubernetes.md, "Pod Template": labels
   * are merged; the operator's standalone mode builds its pods from the same template).
   */
  public static final String GOVERNED_LABEL = "flinkspot.dev/governed";

  public static final String GOVERNED = "true";

  /** The label selector of the pod informer: {@code flinkspot.dev/governed=true}. */
  public static final String GOVERNED_SELECTOR = GOVERNED_LABEL + "=" + GOVERNED;

  /**
   * On a warm-spare Deployment and its placeholder pods: the FlinkDeployment they stand by for
   * (their cost is that deployment's, on its own line of its FlinkCostReport).
   */
  public static final String SPARE_FOR_LABEL = "flinkspot.dev/spare-for";

  private Names() {}

  /** Whether {@code labels} mark an object as flinkspot's. */
  public static boolean managedByUs(java.util.Map<String, String> labels) {
    return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL));
  }
}
