package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What eksctl's schema and validation refuse in the parts of a ClusterConfig flinkspot writes: a
 * field its {@code eksctl.io/v1alpha5} JSON schema does not have (it forbids additional properties;
 * eksctl's own Go decoder is laxer about letter case), a taint effect Kubernetes does not know,
 * sizes out of order, instanceType next to instanceTypes. The field names are those of eksctl's
 * published schema ({@code pkg/apis/eksctl.io/v1alpha5/assets/schema.json}, 2026-08); eksctl's Go
 * module cannot be had from the module proxy here, so this is the stand-in for its own validation.
 */
final class EksctlSchema {
  static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  /** Property names per schema definition. */
  static final Map<String, Set<String>> FIELDS =
      Map.ofEntries(
          Map.entry(
              "ClusterConfig",
              Set.of(
                  "accessConfig",
                  "addons",
                  "addonsConfig",
                  "apiVersion",
                  "autoModeConfig",
                  "availabilityZones",
                  "capabilities",
                  "cloudWatch",
                  "controlPlaneScalingConfig",
                  "fargateProfiles",
                  "gitops",
                  "iam",
                  "iamIdentityMappings",
                  "identityProviders",
                  "karpenter",
                  "kind",
                  "kubeAPIServerConfig",
                  "kubeControllerManagerConfig",
                  "kubeSchedulerConfig",
                  "kubernetesNetworkConfig",
                  "localZones",
                  "managedNodeGroups",
                  "metadata",
                  "nodeGroups",
                  "outpost",
                  "privateCluster",
                  "remoteNetworkConfig",
                  "secretsEncryption",
                  "upgradePolicy",
                  "vpc",
                  "zonalShiftConfig")),
          Map.entry(
              "ClusterMeta",
              Set.of(
                  "annotations",
                  "forceUpdateVersion",
                  "name",
                  "region",
                  "rollbackConfig",
                  "tags",
                  "version")),
          Map.entry(
              "ClusterIAM",
              Set.of(
                  "fargatePodExecutionRoleARN",
                  "fargatePodExecutionRolePermissionsBoundary",
                  "podIdentityAssociations",
                  "serviceAccounts",
                  "serviceRoleARN",
                  "serviceRolePermissionsBoundary",
                  "vpcResourceControllerPolicy",
                  "withOIDC")),
          Map.entry(
              "ClusterIAMServiceAccount",
              Set.of(
                  "attachPolicy",
                  "attachPolicyARNs",
                  "attachRoleARN",
                  "metadata",
                  "permissionsBoundary",
                  "roleName",
                  "roleOnly",
                  "status",
                  "subjectPattern",
                  "tags",
                  "wellKnownPolicies")),
          Map.entry("ClusterIAMMeta", Set.of("annotations", "labels", "name", "namespace")),
          Map.entry(
              "PodIdentityAssociation",
              Set.of(
                  "createServiceAccount",
                  "disableSessionTags",
                  "namespace",
                  "permissionPolicy",
                  "permissionPolicyARNs",
                  "permissionPolicyName",
                  "permissionsBoundaryARN",
                  "policy",
                  "roleARN",
                  "roleName",
                  "serviceAccountName",
                  "tags",
                  "targetRoleARN",
                  "wellKnownPolicies")),
          Map.entry(
              "ManagedNodeGroup",
              Set.of(
                  "additionalVolumes",
                  "ami",
                  "amiFamily",
                  "asgSuspendProcesses",
                  "availabilityZones",
                  "bottlerocket",
                  "capacityReservation",
                  "desiredCapacity",
                  "disableIMDSv1",
                  "disablePodIMDS",
                  "ebsOptimized",
                  "efaEnabled",
                  "enableDetailedMonitoring",
                  "iam",
                  "instanceMarketOptions",
                  "instanceName",
                  "instancePrefix",
                  "instanceSelector",
                  "instanceType",
                  "instanceTypes",
                  "labels",
                  "launchTemplate",
                  "maxPodsPerNode",
                  "maxSize",
                  "minSize",
                  "name",
                  "nodeRepairConfig",
                  "outpostARN",
                  "overrideBootstrapCommand",
                  "placement",
                  "preBootstrapCommands",
                  "privateNetworking",
                  "propagateASGTags",
                  "releaseVersion",
                  "securityGroups",
                  "spot",
                  "ssh",
                  "subnets",
                  "tags",
                  "taints",
                  "updateConfig",
                  "volumeEncrypted",
                  "volumeIOPS",
                  "volumeKmsKeyID",
                  "volumeName",
                  "volumeSize",
                  "volumeThroughput",
                  "volumeType")),
          Map.entry("NodeGroupTaint", Set.of("effect", "key", "value")),
          Map.entry(
              "Karpenter",
              Set.of(
                  "createServiceAccount",
                  "defaultInstanceProfile",
                  "version",
                  "withSpotInterruptionQueue")),
          Map.entry(
              "Addon",
              Set.of(
                  "attachPolicy",
                  "attachPolicyARNs",
                  "configurationValues",
                  "name",
                  "namespaceConfig",
                  "owners",
                  "permissionsBoundary",
                  "podIdentityAssociations",
                  "publishers",
                  "resolveConflicts",
                  "serviceAccountRoleARN",
                  "tags",
                  "types",
                  "useDefaultPodIdentityAssociations",
                  "version",
                  "wellKnownPolicies")));

  private EksctlSchema() {}

  static List<String> check(JsonNode config) {
    List<String> problems = new ArrayList<>();
    known(config, "ClusterConfig", "", problems);
    known(config.path("metadata"), "ClusterMeta", "metadata", problems);
    known(config.path("iam"), "ClusterIAM", "iam", problems);
    each(
        config.path("iam").path("serviceAccounts"),
        "iam.serviceAccounts",
        (sa, at) -> {
          known(sa, "ClusterIAMServiceAccount", at, problems);
          known(sa.path("metadata"), "ClusterIAMMeta", at + ".metadata", problems);
        });
    each(
        config.path("iam").path("podIdentityAssociations"),
        "iam.podIdentityAssociations",
        (a, at) -> known(a, "PodIdentityAssociation", at, problems));
    known(config.path("karpenter"), "Karpenter", "karpenter", problems);
    each(config.path("addons"), "addons", (a, at) -> known(a, "Addon", at, problems));
    each(
        config.path("managedNodeGroups"),
        "managedNodeGroups",
        (group, at) -> {
          known(group, "ManagedNodeGroup", at, problems);
          each(
              group.path("taints"),
              at + ".taints",
              (taint, tat) -> {
                known(taint, "NodeGroupTaint", tat, problems);
                if (!TAINT_EFFECTS.contains(taint.path("effect").asText())) {
                  problems.add(
                      tat
                          + ".effect '"
                          + taint.path("effect").asText()
                          + "' is not "
                          + TAINT_EFFECTS);
                }
              });
          if (group.has("instanceType") && group.has("instanceTypes")) {
            problems.add(at + ": only one of instanceType or instanceTypes can be specified");
          }
          int min = group.path("minSize").asInt(0);
          int max = group.path("maxSize").asInt(Integer.MAX_VALUE);
          int desired = group.path("desiredCapacity").asInt(min);
          if (!(min <= desired && desired <= max)) {
            problems.add(at + ": needs minSize <= desiredCapacity <= maxSize");
          }
        });
    return problems;
  }

  private static void known(JsonNode node, String definition, String at, List<String> problems) {
    if (!node.isObject()) {
      return;
    }
    Set<String> fields = FIELDS.get(definition);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!fields.contains(field)) {
        problems.add(
            (at.isEmpty() ? "" : at + ".")
                + field
                + " is not a field of eksctl's "
                + definition
                + " schema");
      }
    }
  }

  private interface Visitor {
    void visit(JsonNode node, String at);
  }

  private static void each(JsonNode array, String at, Visitor visitor) {
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      visitor.visit(item, at + "[" + (item.has("name") ? item.get("name").asText() : i) + "]");
    }
  }
}
