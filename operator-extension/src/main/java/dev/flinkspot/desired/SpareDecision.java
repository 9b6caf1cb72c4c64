package dev.flinkspot.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.workload.FlinkDeploymentWorkloads;
import dev.flinkspot.cost.workload.PodShape;
import dev.flinkspot.kube.MetadataMerge;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.placement.FlinkTemplateMerge;
import dev.flinkspot.placement.PlacementDecision;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The warm spares of one FlinkDeployment: an apps/v1 Deployment of {@code taskManager.spare}
 * placeholder pods, owned by the FlinkDeployment, decided from the deployment, its policy
 * resolution and the spare Deployment as observed. Pure: the caller does the one write it names.
 *
 * <p>The placeholders are the cluster-autoscaler "overprovisioning" pattern
 * (https://kubernetes.io/docs/tasks/administer-cluster/node-overprovisioning/) made Flink-aware:
 *
 * <ul>
 *   <li>sized like one TaskManager pod (its cpu and memory, read as the Flink operator sizes it);
 *   <li>placed like the TaskManagers: the affinity, tolerations, topology spread, node selector and
 *       scheduler of the effective TaskManager pod template ({@code spec.podTemplate} merged with
 *       {@code spec.taskManager.podTemplate} as the operator merges them), which carries the
 *       policy's placement once admitted;
 *   <li>at the negative priority of {@link Settings#priorityClass}, so the scheduler preempts one
 *       for a TaskManager (priority 0 or more) that finds no room; with a grace period of 0 the
 *       placeholder is gone at once;
 *   <li>running the deployment's own image (so it is pulled on the spare node) with {@code sleep
 *       infinity}, or {@link Settings#image} with its own entrypoint (e.g. {@code
 *       registry.k8s.io/pause});
 *   <li>labelled {@link #SPARE_FOR_LABEL}, never {@code component: taskmanager}: not counted as
 *       TaskManagers by the Flink operator's selectors, the HPA, the cost report or the notices;
 *       their pods also carry {@link Names#GOVERNED_LABEL}, so the controller's pod cache holds
 *       them and the cost report prices them on their own line.
 * </ul>
 *
 * They exist only while the deployment is governed by a valid policy with {@code spare > 0} and is
 * not suspended ({@code spec.job.state: suspended}); otherwise ours is deleted. The Deployment's
 * annotation {@link #TEMPLATE_HASH} holds a hash of the desired pod template: an update is written
 * only when it or the replica count differs (the API server's defaults never cause a write).
 */
public sealed interface SpareDecision {

  /** Labels the spare Deployment and its pods with the FlinkDeployment's name. */
  String SPARE_FOR_LABEL = Names.SPARE_FOR_LABEL;

  /** Hash of the desired pod template, on the spare Deployment. */
  String TEMPLATE_HASH = "flinkspot.dev/spare-template-hash";

  /** The placeholder container's name. */
  String CONTAINER = "spare";

  /**
   * The Flink operator's main container name in pod templates (flink-kubernetes {@code
   * Constants.MAIN_CONTAINER_NAME}).
   */
  String FLINK_MAIN_CONTAINER = "flink-main-container";

  /**
   * How the placeholders run.
   *
   * @param image null: the deployment's own image with {@code sleep infinity}; otherwise this image
   *     with its own entrypoint (e.g. {@code registry.k8s.io/pause:3.10})
   * @param priorityClass the negative-value PriorityClass the chart ships
   */
  record Settings(String image, String priorityClass) {
    public static final String DEFAULT_PRIORITY_CLASS = "flinkspot-spare";

    public static Settings defaults() {
      return new Settings(null, DEFAULT_PRIORITY_CLASS);
    }
  }

  /** No spare Deployment yet: create this one. */
  record Create(Deployment spares, String policy, int replicas) implements SpareDecision {}

  /** Ours differs in size, template or ownership: replace it with this (observed, merged). */
  record Update(Deployment spares, String policy, int replicas) implements SpareDecision {}

  /** Ours is no longer wanted. */
  record Delete(Deployment observed, String why) implements SpareDecision {}

  /** Nothing to write; {@code warning} when the user should act. */
  record Keep(KeepReason reason, String message) implements SpareDecision {
    public boolean warning() {
      return reason == KeepReason.FOREIGN || reason == KeepReason.UNREADABLE;
    }
  }

  /** Why nothing is written. */
  enum KeepReason {
    IN_SYNC,
    NONE_WANTED,
    BEING_DELETED,
    /** The policy is invalid or the default ambiguous: what exists is left as it is. */
    POLICY_INVALID,
    /** A same-named Deployment without our label: neither taken over nor deleted. */
    FOREIGN,
    /** Ours, but not owned by this FlinkDeployment (e.g. one recreated under the same name). */
    NOT_OWNED,
    /** The TaskManager size or image cannot be read. */
    UNREADABLE,
    /**
     * The policy's placement is not on the TaskManager template yet but is about to be written
     * (without the webhook, by the controller's placement loop): spares made now would land off the
     * TaskManager pool and be moved a moment later.
     */
    PLACEMENT_PENDING
  }

  /** The spare Deployment's name for the FlinkDeployment {@code deployment}. */
  static String name(String deployment) {
    return deployment + "-flinkspot-spare";
  }

  /**
   * @param deployment the raw FlinkDeployment (metadata with uid, spec)
   * @param resolution its policy resolution
   * @param observed the Deployment named {@link #name} in its namespace, or null
   */
  static SpareDecision decide(
      JsonNode deployment,
      PolicyResolver.Resolution resolution,
      Deployment observed,
      Settings settings) {
    String name = deployment.path("metadata").path("name").asText();
    String uid = deployment.path("metadata").path("uid").asText(null);
    String spares = name(name);
    if (observed != null && observed.getMetadata().getDeletionTimestamp() != null) {
      return new Keep(KeepReason.BEING_DELETED, "Deployment " + spares + " is being deleted");
    }
    boolean ours = observed != null && Names.managedByUs(observed.getMetadata().getLabels());
    if (resolution instanceof PolicyResolver.Invalid
        || resolution instanceof PolicyResolver.AmbiguousDefault) {
      return new Keep(
          KeepReason.POLICY_INVALID, "the policy cannot be applied: spares left as they are");
    }
    int wanted = 0;
    String why;
    String policy = null;
    if (resolution instanceof PolicyResolver.Governed g) {
      policy = g.policy().name();
      wanted = g.policy().taskManager().spare();
      why = "FlinkSpotPolicy " + policy + " sets no taskManager.spare";
      if (wanted > 0 && suspended(deployment)) {
        wanted = 0;
        why = "the deployment is suspended";
      }
      if (!deployment.path("metadata").path("deletionTimestamp").isMissingNode()) {
        wanted = 0;
        why = "the deployment is being deleted";
      }
    } else if (resolution instanceof PolicyResolver.Missing m) {
      why = "FlinkSpotPolicy " + m.policyName() + " no longer exists";
    } else {
      why = "the deployment is not governed by a FlinkSpotPolicy";
    }
    if (wanted == 0) {
      if (!ours) {
        return new Keep(KeepReason.NONE_WANTED, why);
      }
      if (!OwnerReferences.owns(observed.getMetadata().getOwnerReferences(), uid)) {
        return new Keep(KeepReason.NOT_OWNED, notOwned(spares));
      }
      return new Delete(observed, why);
    }
    if (observed != null && !ours) {
      return new Keep(
          KeepReason.FOREIGN,
          "Deployment "
              + spares
              + " exists without the label "
              + Names.MANAGED_BY_LABEL
              + "="
              + Names.MANAGED_BY
              + ", so no warm spares are kept for this deployment; rename or delete that"
              + " Deployment");
    }
    if (resolution instanceof PolicyResolver.Governed g
        && PlacementDecision.decide(deployment, resolution) instanceof PlacementDecision.Place
        && (DesiredDeployment.notYetDeployed(deployment) || g.policy().repairExisting())) {
      return new Keep(
          KeepReason.PLACEMENT_PENDING,
          "the placement of FlinkSpotPolicy "
              + policy
              + " is about to be written; the spares follow it");
    }
    Deployment desired;
    try {
      desired = desired(deployment, wanted, settings);
    } catch (UserInputException e) {
      return new Keep(KeepReason.UNREADABLE, "no warm spares: " + e.getMessage());
    }
    if (observed == null) {
      return new Create(desired, policy, wanted);
    }
    if (!OwnerReferences.controlledBy(observed.getMetadata().getOwnerReferences(), uid)) {
      return new Keep(KeepReason.NOT_OWNED, notOwned(spares));
    }
    boolean same =
        Objects.equals(observed.getSpec().getReplicas(), wanted)
            && Objects.equals(hashOf(observed), hashOf(desired))
            && observed
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(desired.getMetadata().getLabels().entrySet());
    if (same) {
      return new Keep(KeepReason.IN_SYNC, "Deployment " + spares + " matches the policy");
    }
    return new Update(merge(observed, desired), policy, wanted);
  }

  private static String notOwned(String spares) {
    return "Deployment "
        + spares
        + " carries the flinkspot label but is not controlled by this FlinkDeployment; left"
        + " alone (the garbage collector removes it with its owner)";
  }

  /** {@code spec.job.state: suspended} (FlinkDeployment JobSpec; a session cluster has no job). */
  static boolean suspended(JsonNode deployment) {
    return "suspended".equals(Json.at(deployment, "spec", "job", "state").asText());
  }

  /** The spare Deployment {@code deployment} should have. */
  static Deployment desired(JsonNode deployment, int replicas, Settings settings) {
    String name = deployment.path("metadata").path("name").asText();
    String namespace = deployment.path("metadata").path("namespace").asText();
    String uid = deployment.path("metadata").path("uid").asText();
    ObjectNode template = podTemplate(deployment, settings);
    Map<String, String> labels = labels(name);
    var owner = OwnerReferences.flinkDeployment(name, uid);
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name(name))
            .withNamespace(namespace)
            .withLabels(labels)
            .withAnnotations(Map.of(TEMPLATE_HASH, hash(template)))
            .withOwnerReferences(owner)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withRevisionHistoryLimit(1)
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .endSpec()
            .build();
    d.getSpec()
        .setTemplate(
            Json.MAPPER.convertValue(
                template, io.fabric8.kubernetes.api.model.PodTemplateSpec.class));
    return d;
  }

  /** The labels of the spare Deployment, its selector and its pods. */
  static Map<String, String> labels(String deployment) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    labels.put(SPARE_FOR_LABEL, deployment);
    return labels;
  }

  /** The placeholder pod template, as JSON (hashed as built). */
  static ObjectNode podTemplate(JsonNode deployment, Settings settings) {
    String name = deployment.path("metadata").path("name").asText();
    JsonNode spec = deployment.path("spec");
    JsonNode effective =
        FlinkTemplateMerge.effective(
            spec.path("podTemplate"), spec.path("taskManager").path("podTemplate"));
    JsonNode taskManagerPod =
        effective == null ? Json.MAPPER.missingNode() : effective.path("spec");
    JsonNode main = mainContainer(taskManagerPod);
    PodShape shape = FlinkDeploymentWorkloads.taskManagerShape(deployment);

    ObjectNode template = Json.MAPPER.createObjectNode();
    ObjectNode labels = template.putObject("metadata").putObject("labels");
    labels(name).forEach(labels::put);
    // The controller's pod informer selects on it: the placeholders are cached, priced on their
    // own line of the cost report, and never counted as TaskManagers (no component label). Not in
    // the selector, which apps/v1 keeps immutable.
    labels.put(Names.GOVERNED_LABEL, Names.GOVERNED);
    ObjectNode pod = template.putObject("spec");
    for (String field :
        List.of(
            "affinity",
            "tolerations",
            "topologySpreadConstraints",
            "nodeSelector",
            "schedulerName",
            "imagePullSecrets")) {
      JsonNode value = taskManagerPod.path(field);
      if (!value.isMissingNode() && !value.isNull()) {
        pod.set(field, value.deepCopy());
      }
    }
    pod.put("priorityClassName", settings.priorityClass());
    // A preempted placeholder must free the node at once for the TaskManager that needs it.
    pod.put("terminationGracePeriodSeconds", 0);
    pod.put("automountServiceAccountToken", false);
    pod.put("enableServiceLinks", false);
    ObjectNode security = pod.putObject("securityContext");
    security.put("runAsNonRoot", true);
    security.put("runAsUser", 65534);
    security.put("runAsGroup", 65534);
    security.putObject("seccompProfile").put("type", "RuntimeDefault");

    ObjectNode container = pod.putArray("containers").addObject();
    container.put("name", CONTAINER);
    if (settings.image() != null) {
      container.put("image", settings.image());
    } else {
      String image = main.path("image").asText(spec.path("image").asText(""));
      if (image.isBlank()) {
        throw new UserInputException(
            "FlinkDeployment "
                + name
                + ": spec.image is missing, so there is no image to pre-pull");
      }
      container.put("image", image);
      // The official Flink image is FROM eclipse-temurin:*-jre-jammy (Ubuntu 22.04;
      // apache/flink-docker 1.20/scala_2.12-java17-ubuntu/Dockerfile): GNU coreutils' sleep,
      // which accepts "infinity". The command replaces its ENTRYPOINT, so nothing of Flink runs.
      container.putArray("command").add("sleep").add("infinity");
      if (main.path("imagePullPolicy").isTextual()) {
        container.put("imagePullPolicy", main.path("imagePullPolicy").asText());
      } else if (spec.path("imagePullPolicy").isTextual()) {
        container.put("imagePullPolicy", spec.path("imagePullPolicy").asText());
      }
    }
    ObjectNode resources = container.putObject("resources");
    for (String kind : List.of("requests", "limits")) {
      resources
          .putObject(kind)
          .put("cpu", shape.cpu().toPlainString())
          .put("memory", Long.toString(shape.memoryBytes()));
    }
    ObjectNode containerSecurity = container.putObject("securityContext");
    containerSecurity.put("allowPrivilegeEscalation", false);
    containerSecurity.put("readOnlyRootFilesystem", true);
    containerSecurity.putObject("capabilities").putArray("drop").add("ALL");
    return template;
  }

  private static JsonNode mainContainer(JsonNode podSpec) {
    JsonNode containers = podSpec.path("containers");
    if (containers instanceof ArrayNode array) {
      for (JsonNode c : array) {
        if (FLINK_MAIN_CONTAINER.equals(c.path("name").asText())) {
          return c;
        }
      }
    }
    return Json.MAPPER.missingNode();
  }

  /** A short SHA-256 of the template's JSON. */
  static String hash(JsonNode template) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(template.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static String hashOf(Deployment d) {
    var annotations = d.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TEMPLATE_HASH);
  }

  /**
   * The observed Deployment with what flinkspot owns replaced (replicas, template, strategy, our
   * labels and annotation, our controller owner reference); others' labels, annotations and owner
   * references kept, the resourceVersion kept so that the update fails on a newer edit.
   */
  static Deployment merge(Deployment observed, Deployment desired) {
    return new DeploymentBuilder(observed)
        .withMetadata(MetadataMerge.ours(observed.getMetadata(), desired.getMetadata()))
        .editSpec()
        .withReplicas(desired.getSpec().getReplicas())
        .withRevisionHistoryLimit(desired.getSpec().getRevisionHistoryLimit())
        .withStrategy(desired.getSpec().getStrategy())
        .withTemplate(desired.getSpec().getTemplate())
        .endSpec()
        .build();
  }
}
