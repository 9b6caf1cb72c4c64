package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.nodes.EksctlNodeGroups;
import dev.flinkspot.policy.FlinkSpotPolicySpec;
import dev.flinkspot.policy.LabelScheme;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project's rules for the Karpenter variant: an eksctl ClusterConfig that installs Karpenter
 * with its interruption queue and keeps an On-Demand system group, a Spot NodePool for TaskManagers
 * over many instance types and ≥ 2 zones, an On-Demand NodePool for JobManagers, an EC2NodeClass
 * that discovers the cluster's subnets, and a policy that agrees with the NodePools' labels and
 * taints.
 */
public final class KarpenterRules {
  static final String CAPACITY_KEY = LabelScheme.Karpenter.key();
  static final String INSTANCE_TYPE_KEY = "node.kubernetes.io/instance-type";
  static final String ZONE_KEY = "topology.kubernetes.io/zone";
  static final Set<String> DIVERSIFYING_KEYS =
      Set.of(
          "karpenter.k8s.aws/instance-category",
          "karpenter.k8s.aws/instance-family",
          "karpenter.k8s.aws/instance-generation",
          "karpenter.k8s.aws/instance-cpu",
          "karpenter.k8s.aws/instance-memory",
          "karpenter.k8s.aws/instance-size");

  private KarpenterRules() {}

  /**
   * All rule violations of a Karpenter ClusterConfig with its NodePools and EC2NodeClass objects.
   */
  public static List<String> check(
      JsonNode config, List<JsonNode> objects, PriceCatalog catalog, FlinkSpotPolicySpec policy) {
    List<String> problems = new ArrayList<>(ClusterConfigRules.header(config, catalog));
    problems.addAll(ClusterConfigRules.flinkServiceAccount(config));
    String cluster = config.path("metadata").path("name").asText();
    JsonNode karpenter = config.path("karpenter");
    if (karpenter.path("version").asText("").isBlank()) {
      problems.add("karpenter.version is missing: eksctl installs the Karpenter release it names");
    }
    if (!karpenter.path("withSpotInterruptionQueue").asBoolean(false)) {
      problems.add(
          "karpenter.withSpotInterruptionQueue must be true: Karpenter drains reclaimed Spot"
              + " nodes only with the interruption queue");
    }
    if (!config.path("iam").path("withOIDC").asBoolean(false)) {
      problems.add("iam.withOIDC must be true: eksctl's Karpenter support requires it");
    }
    if (!cluster.equals(
        config.path("metadata").path("tags").path("karpenter.sh/discovery").asText())) {
      problems.add("metadata.tags needs karpenter.sh/discovery: " + cluster);
    }
    problems.addAll(ClusterConfigRules.systemGroup(EksctlNodeGroups.groups(config)));

    Map<String, JsonNode> nodeClasses = new LinkedHashMap<>();
    List<JsonNode> nodePools = new ArrayList<>();
    for (JsonNode object : objects) {
      switch (object.path("kind").asText()) {
        case "EC2NodeClass" ->
            nodeClasses.put(object.path("metadata").path("name").asText(), object);
        case "NodePool" -> nodePools.add(object);
        default -> {}
      }
    }
    for (JsonNode nodeClass : nodeClasses.values()) {
      String name = nodeClass.path("metadata").path("name").asText();
      for (String selector : List.of("subnetSelectorTerms", "securityGroupSelectorTerms")) {
        if (!nodeClass.path("spec").path(selector).toString().contains("\"" + cluster + "\"")) {
          problems.add(
              "EC2NodeClass "
                  + name
                  + " spec."
                  + selector
                  + " does not select by karpenter.sh/discovery: "
                  + cluster);
        }
      }
    }
    List<NodePool> jobManagers = new ArrayList<>();
    List<NodePool> taskManagers = new ArrayList<>();
    for (JsonNode nodePool : nodePools) {
      NodePool pool = pool(nodePool);
      String ref =
          nodePool
              .path("spec")
              .path("template")
              .path("spec")
              .path("nodeClassRef")
              .path("name")
              .asText();
      if (!nodeClasses.containsKey(ref)) {
        problems.add(
            "NodePool " + pool.name() + " refers to EC2NodeClass " + ref + ", not shipped");
      }
      Map<String, Requirement> requirements = requirements(nodePool);
      String poolName = pool.labels().getOrDefault(ClusterConfigRules.POOL_LABEL, "");
      if (poolName.equals(ClusterConfigRules.JOBMANAGER)) {
        jobManagers.add(pool);
        problems.addAll(capacity(pool.name(), requirements, "on-demand"));
      } else if (poolName.equals(ClusterConfigRules.TASKMANAGER)) {
        taskManagers.add(pool);
        problems.addAll(capacity(pool.name(), requirements, "spot"));
        problems.addAll(diversified(pool.name(), requirements));
      }
      Requirement zones = requirements.get(ZONE_KEY);
      List<String> clusterZones = EksctlGroups.zones(config, config);
      if (zones != null && !clusterZones.isEmpty() && !clusterZones.containsAll(zones.values())) {
        problems.add(
            "NodePool "
                + pool.name()
                + " allows zones "
                + zones.values()
                + " outside the cluster's availabilityZones "
                + clusterZones);
      }
      problems.addAll(poolTaint(pool, poolName));
    }
    if (jobManagers.isEmpty()) {
      problems.add(
          "no JobManager NodePool (label " + ClusterConfigRules.POOL_LABEL + ": jobmanager)");
    }
    if (taskManagers.isEmpty()) {
      problems.add(
          "no TaskManager NodePool (label " + ClusterConfigRules.POOL_LABEL + ": taskmanager)");
    }
    if (policy != null) {
      problems.addAll(
          ClusterConfigRules.policyAgrees(
              policy, LabelScheme.Karpenter, jobManagers, taskManagers));
    }
    return problems;
  }

  private static List<String> capacity(
      String name, Map<String, Requirement> requirements, String capacity) {
    Requirement r = requirements.get(CAPACITY_KEY);
    if (r == null || !r.operator().equals("In") || !r.values().equals(List.of(capacity))) {
      return List.of(
          "NodePool " + name + " must require " + CAPACITY_KEY + " In [" + capacity + "] only");
    }
    return List.of();
  }

  /** Many instance types: either ≥ 3 named types or attribute requirements, and ≥ 2 zones. */
  private static List<String> diversified(String name, Map<String, Requirement> requirements) {
    List<String> problems = new ArrayList<>();
    Requirement types = requirements.get(INSTANCE_TYPE_KEY);
    boolean byAttributes = requirements.keySet().stream().anyMatch(DIVERSIFYING_KEYS::contains);
    if (types != null && types.operator().equals("In") && types.values().size() < 3) {
      problems.add(
          "Spot NodePool "
              + name
              + " allows "
              + types.values()
              + ": allow at least 3 instance types");
    } else if (types == null && !byAttributes) {
      problems.add(
          "Spot NodePool "
              + name
              + " does not bound its instance types: require a category, family or size");
    }
    Requirement zones = requirements.get(ZONE_KEY);
    if (zones != null && zones.operator().equals("In") && zones.values().size() < 2) {
      problems.add("Spot NodePool " + name + " allows one zone: allow at least 2");
    }
    return problems;
  }

  private static List<String> poolTaint(NodePool pool, String poolName) {
    boolean tainted =
        pool.taints().stream()
            .anyMatch(
                t ->
                    t.key().equals(ClusterConfigRules.POOL_LABEL)
                        && t.value().equals(poolName)
                        && t.effect().equals("NoSchedule"));
    return poolName.isEmpty() || tainted
        ? List.of()
        : List.of(
            "NodePool "
                + pool.name()
                + " lacks the taint "
                + ClusterConfigRules.POOL_LABEL
                + "="
                + poolName
                + ":NoSchedule");
  }

  static NodePool pool(JsonNode nodePool) {
    JsonNode template = nodePool.path("spec").path("template");
    Map<String, String> labels = new LinkedHashMap<>();
    template
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<NodePool.Taint> taints = new ArrayList<>();
    template.path("spec").path("taints").forEach(t -> taints.add(NodePool.Taint.of(t)));
    return new NodePool(nodePool.path("metadata").path("name").asText(), labels, taints);
  }

  private static Map<String, Requirement> requirements(JsonNode nodePool) {
    Map<String, Requirement> requirements = new LinkedHashMap<>();
    for (JsonNode r : nodePool.path("spec").path("template").path("spec").path("requirements")) {
      List<String> values = new ArrayList<>();
      r.path("values").forEach(v -> values.add(v.asText()));
      requirements.put(
          r.path("key").asText(), new Requirement(r.path("operator").asText(), values));
    }
    return requirements;
  }

  private record Requirement(String operator, List<String> values) {}
}
