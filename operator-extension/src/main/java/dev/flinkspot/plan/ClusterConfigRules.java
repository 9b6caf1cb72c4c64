package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.catalog.InstanceTypeSpec;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.nodes.EksctlNodeGroups;
import dev.flinkspot.policy.FlinkSpotPolicySpec;
import dev.flinkspot.policy.LabelScheme;
import dev.flinkspot.policy.PlacementPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project's rules for an eksctl ClusterConfig with managed node groups: an untainted On-Demand
 * system group, an On-Demand JobManager group and at least two Spot TaskManager groups, each of ≥ 3
 * instance types of one vCPU:memory shape over ≥ 2 zones, with the cluster-autoscaler node-template
 * tags that let a group scale from zero, least-privilege IAM for the Flink service account, and
 * labels and taints that the FlinkSpotPolicy selects and tolerates. Each check returns messages;
 * none means the file follows the rules. Used on the shipped files and on {@code flinkspot plan}'s
 * output alike.
 */
public final class ClusterConfigRules {
  public static final String API_VERSION = "eksctl.io/v1alpha5";
  public static final String POOL_LABEL = EksctlNodeGroups.POOL_LABEL;
  public static final String JOBMANAGER = "jobmanager";
  public static final String TASKMANAGER = "taskmanager";
  public static final String CAPACITY_LABEL = LabelScheme.EksManagedNodeGroup.key();
  public static final String NODE_TEMPLATE_LABEL = "k8s.io/cluster-autoscaler/node-template/label/";
  public static final String NODE_TEMPLATE_TAINT = "k8s.io/cluster-autoscaler/node-template/taint/";
  public static final String FLINK_SERVICE_ACCOUNT = "flink";
  static final int MIN_SPOT_TYPES = 3;
  static final int MIN_SPOT_GROUPS = 2;
  static final int MIN_ZONES = 2;

  private ClusterConfigRules() {}

  /** All rule violations of a managed-node-group ClusterConfig against {@code policy}. */
  public static List<String> check(
      JsonNode config, PriceCatalog catalog, FlinkSpotPolicySpec policy) {
    List<String> problems = new ArrayList<>(header(config, catalog));
    problems.addAll(flinkServiceAccount(config));
    problems.addAll(clusterAutoscalerServiceAccount(config));
    List<JsonNode> groups = EksctlNodeGroups.groups(config);
    problems.addAll(systemGroup(groups));

    List<JsonNode> jobManagers = EksctlGroups.inPool(groups, JOBMANAGER);
    List<JsonNode> taskManagers = EksctlGroups.inPool(groups, TASKMANAGER);
    if (jobManagers.isEmpty()) {
      problems.add("no JobManager node group (label " + POOL_LABEL + ": " + JOBMANAGER + ")");
    }
    for (JsonNode group : jobManagers) {
      String name = EksctlNodeGroups.name(group);
      if (EksctlNodeGroups.spot(group)) {
        problems.add("JobManager group " + name + " is Spot: JobManagers belong On-Demand");
      }
      problems.addAll(poolTaint(group, JOBMANAGER));
      problems.addAll(nodeTemplateTags(group, JOBMANAGER, "ON_DEMAND"));
    }
    if (taskManagers.size() < MIN_SPOT_GROUPS) {
      problems.add(
          "only "
              + taskManagers.size()
              + " TaskManager node group(s) (label "
              + POOL_LABEL
              + ": "
              + TASKMANAGER
              + "): use at least "
              + MIN_SPOT_GROUPS
              + " Spot groups");
    }
    Set<String> shapes = new LinkedHashSet<>();
    for (JsonNode group : taskManagers) {
      String name = EksctlNodeGroups.name(group);
      if (!EksctlNodeGroups.spot(group)) {
        problems.add("TaskManager group " + name + " is not Spot (spot: true)");
      }
      List<String> types = EksctlNodeGroups.instanceTypes(group);
      if (types.size() < MIN_SPOT_TYPES) {
        problems.add(
            "TaskManager group "
                + name
                + " lists "
                + types.size()
                + " instance type(s): list at least "
                + MIN_SPOT_TYPES
                + " of one shape");
      }
      shapeOf(name, types, catalog, problems).ifPresent(shapes::add);
      List<String> zones = EksctlGroups.zones(group, config);
      if (zones.size() < MIN_ZONES) {
        problems.add(
            "TaskManager group "
                + name
                + " spans "
                + zones.size()
                + " availability zone(s): use at least "
                + MIN_ZONES
                + " (better three)");
      }
      problems.addAll(poolTaint(group, TASKMANAGER));
      problems.addAll(nodeTemplateTags(group, TASKMANAGER, "SPOT"));
    }
    if (shapes.size() > 1) {
      problems.add(
          "TaskManager groups have different shapes "
              + shapes
              + ": balanced Spot groups need one vCPU:memory shape");
    }
    if (policy != null) {
      problems.addAll(
          policyAgrees(
              policy,
              LabelScheme.EksManagedNodeGroup,
              jobManagers.stream().map(EksctlGroups::pool).toList(),
              taskManagers.stream().map(EksctlGroups::pool).toList()));
    }
    return problems;
  }

  static List<String> header(JsonNode config, PriceCatalog catalog) {
    List<String> problems = new ArrayList<>();
    if (!API_VERSION.equals(config.path("apiVersion").asText())
        || !"ClusterConfig".equals(config.path("kind").asText())) {
      problems.add(
          "not an eksctl ClusterConfig (apiVersion " + API_VERSION + ", kind ClusterConfig)");
    }
    problems.addAll(EksctlSchema.check(config));
    if (config.path("metadata").path("name").asText("").isBlank()) {
      problems.add("metadata.name is missing");
    }
    String region = config.path("metadata").path("region").asText("");
    if (!catalog.knownRegions().contains(region)) {
      problems.add("metadata.region '" + region + "' is not an AWS region code");
    }
    for (JsonNode zone : config.path("availabilityZones")) {
      if (!zone.asText().startsWith(region)) {
        problems.add("availability zone " + zone.asText() + " is not in region " + region);
      }
    }
    return problems;
  }

  /** The Flink pods' service account: IRSA or Pod Identity, with a policy scoped to resources. */
  static List<String> flinkServiceAccount(JsonNode config) {
    List<String> problems = new ArrayList<>();
    JsonNode iam = config.path("iam");
    JsonNode policy = null;
    boolean identity = false;
    for (JsonNode sa : iam.path("serviceAccounts")) {
      if (FLINK_SERVICE_ACCOUNT.equals(sa.path("metadata").path("name").asText())) {
        policy = sa.path("attachPolicy");
        identity = iam.path("withOIDC").asBoolean(false);
        if (!identity) {
          problems.add("iam.serviceAccounts needs iam.withOIDC: true (IRSA)");
        }
      }
    }
    for (JsonNode association : iam.path("podIdentityAssociations")) {
      if (FLINK_SERVICE_ACCOUNT.equals(association.path("serviceAccountName").asText())) {
        policy = association.path("permissionPolicy");
        identity = true;
      }
    }
    if (policy == null) {
      problems.add(
          "no IAM identity for the Flink service account '"
              + FLINK_SERVICE_ACCOUNT
              + "' (iam.serviceAccounts or iam.podIdentityAssociations)");
      return problems;
    }
    problems.addAll(
        IamPolicyRules.leastPrivilege("service account " + FLINK_SERVICE_ACCOUNT, policy));
    return problems;
  }

  static List<String> clusterAutoscalerServiceAccount(JsonNode config) {
    for (JsonNode sa : config.path("iam").path("serviceAccounts")) {
      if ("cluster-autoscaler".equals(sa.path("metadata").path("name").asText())) {
        boolean wellKnown = sa.path("wellKnownPolicies").path("autoScaler").asBoolean(false);
        boolean attached =
            sa.path("attachPolicy").toString().contains("autoscaling:SetDesiredCapacity");
        return wellKnown || attached
            ? List.of()
            : List.of(
                "service account cluster-autoscaler has no autoscaling:SetDesiredCapacity permission");
      }
    }
    return List.of(
        "no IAM identity for the cluster-autoscaler service account (iam.serviceAccounts)");
  }

  /** An On-Demand group with no taint for CoreDNS, the operators and the autoscaler. */
  static List<String> systemGroup(List<JsonNode> groups) {
    for (JsonNode group : groups) {
      if (!EksctlNodeGroups.spot(group)
          && EksctlGroups.taints(group).isEmpty()
          && !EksctlNodeGroups.poolName(group).equals(JOBMANAGER)
          && !EksctlNodeGroups.poolName(group).equals(TASKMANAGER)) {
        return List.of();
      }
    }
    return List.of(
        "no system node group: add a small On-Demand group without taints for CoreDNS, the Flink"
            + " operator, the flinkspot controller and the autoscaler");
  }

  private static List<String> poolTaint(JsonNode group, String pool) {
    for (NodePool.Taint taint : EksctlGroups.taints(group)) {
      if (taint.key().equals(POOL_LABEL)
          && taint.value().equals(pool)
          && taint.effect().equals("NoSchedule")) {
        return List.of();
      }
    }
    return List.of(
        "group "
            + EksctlNodeGroups.name(group)
            + " lacks the taint "
            + POOL_LABEL
            + "="
            + pool
            + ":NoSchedule (other pods would land on it)");
  }

  /** The ASG tags cluster-autoscaler reads to build a node from zero. */
  private static List<String> nodeTemplateTags(JsonNode group, String pool, String capacity) {
    List<String> problems = new ArrayList<>();
    String name = EksctlNodeGroups.name(group);
    if (!group.path("propagateASGTags").asBoolean(false)) {
      problems.add(
          "group " + name + " needs propagateASGTags: true (the autoscaler reads the ASG's tags)");
    }
    JsonNode tags = group.path("tags");
    Map<String, String> expected =
        Map.of(
            NODE_TEMPLATE_LABEL + POOL_LABEL, pool,
            NODE_TEMPLATE_LABEL + CAPACITY_LABEL, capacity,
            NODE_TEMPLATE_TAINT + POOL_LABEL, pool + ":NoSchedule");
    expected.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              if (!e.getValue().equals(tags.path(e.getKey()).asText(null))) {
                problems.add(
                    "group "
                        + name
                        + " lacks the tag "
                        + e.getKey()
                        + ": "
                        + e.getValue()
                        + " (the autoscaler cannot scale it from zero)");
              }
            });
    return problems;
  }

  /** The one shape of a group's instance types, as "4 vCPU / 16 GiB x86_64", or a problem. */
  static java.util.Optional<String> shapeOf(
      String group, List<String> types, PriceCatalog catalog, List<String> problems) {
    Set<String> shapes = new LinkedHashSet<>();
    for (String type : types) {
      InstanceTypeSpec spec = catalog.instanceTypes().get(type);
      if (spec == null) {
        problems.add(
            "group "
                + group
                + ": instance type "
                + type
                + " is not in the catalog (unknown shape)");
        continue;
      }
      shapes.add(NodeShape.of(spec).toString());
    }
    if (shapes.size() > 1) {
      problems.add(
          "group "
              + group
              + " mixes shapes "
              + shapes
              + ": list instance types of one vCPU:memory shape and architecture");
      return java.util.Optional.empty();
    }
    return shapes.stream().findFirst();
  }

  /**
   * The policy selects the pools' labels and tolerates their taints, with the capacity label scheme
   * of the node provisioner. Node groups are given as eksctl groups or Karpenter NodePools.
   */
  static List<String> policyAgrees(
      FlinkSpotPolicySpec spec,
      LabelScheme scheme,
      List<NodePool> jobManagerNodes,
      List<NodePool> taskManagerNodes) {
    List<String> problems = new ArrayList<>();
    PlacementPolicy.Result result = PlacementPolicy.from("policy", spec);
    if (!result.valid()) {
      return List.of("policy is invalid: " + result.invalidMessage());
    }
    PlacementPolicy policy = result.policy();
    if (!scheme.key().equals(policy.capacityKey())) {
      problems.add(
          "policy capacity label is "
              + policy.capacityKey()
              + ", but these nodes carry "
              + scheme.key()
              + " (capacityLabels.scheme: "
              + scheme
              + ")");
    }
    problems.addAll(
        PoolAgreement.check(
            "JobManager",
            policy.jobManager().nodeSelector(),
            policy.jobManager().tolerations(),
            jobManagerNodes));
    problems.addAll(
        PoolAgreement.check(
            "TaskManager",
            policy.taskManager().nodeSelector(),
            policy.taskManager().tolerations(),
            taskManagerNodes));
    return problems;
  }
}
