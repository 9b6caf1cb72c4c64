package dev.flinkspot.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.nodes.EksctlNodeGroups;
import dev.flinkspot.cost.workload.FlinkDeploymentWorkloads;
import dev.flinkspot.cost.workload.FlinkWorkload;
import dev.flinkspot.cost.workload.ManifestReader;
import dev.flinkspot.policy.FlinkSpotPolicySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code flinkspot plan} without the I/O: sizes the deployment for an ingest rate, picks the Spot
 * instance types, renders the three files, checks them with {@link ClusterConfigRules}, and prices
 * them with the same {@link CostComparison} {@code flinkspot cost} uses, on the files as written
 * (the FlinkDeployment and the eksctl groups are read back from their YAML).
 */
public final class Planner {
  public static final String CLUSTER_FILE = "cluster.yaml";
  public static final String POLICY_FILE = "policy.yaml";
  public static final String DEPLOYMENT_FILE = "flinkdeployment.yaml";

  private Planner() {}

  /** A plan: its sizing, the Spot types per group, the files by name, and the comparison. */
  public record Plan(
      PlanRequest request,
      Sizing sizing,
      List<List<String>> spotGroups,
      Map<String, String> files,
      CostComparison comparison) {}

  public static Plan plan(PlanRequest request, PriceCatalog catalog) {
    RegionPriceView prices = catalog.region(request.region());
    Sizing sizing = Sizing.of(request.ingestMbPerS(), request.shape());
    Sizing.requireKpuMemory(request.shape());
    List<String> types = InstanceTypeChoice.typesOf(request.shape(), sizing, catalog);
    List<List<String>> groups = InstanceTypeChoice.groups(types);

    ObjectNode cluster = PlanManifests.clusterConfig(request, sizing, groups);
    ObjectNode policy = PlanManifests.policy(request, sizing);
    ObjectNode deployment = PlanManifests.deployment(request, sizing);
    List<String> problems = ClusterConfigRules.check(cluster, catalog, policySpec(policy));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the plan breaks its own rules: " + problems);
    }

    String header = header(request, sizing);
    Map<String, String> files = new LinkedHashMap<>();
    files.put(CLUSTER_FILE, PlanManifests.yaml(header + clusterUsage(request), cluster));
    files.put(
        POLICY_FILE,
        PlanManifests.yaml(
            header
                + "#   a kustomize patch over the installed policy of this name (k8s/flink), so that"
                + " one policy\n#   keeps the plan's bounds: docs/getting-started.md, step 7\n",
            policy));
    files.put(
        DEPLOYMENT_FILE,
        PlanManifests.yaml(
            header + "#   kubectl apply -f " + DEPLOYMENT_FILE + "   (replace <account> first)\n",
            deployment));

    var manifest = ManifestReader.parse(DEPLOYMENT_FILE, files.get(DEPLOYMENT_FILE));
    FlinkWorkload workload =
        FlinkDeploymentWorkloads.from(manifest.deployments().get(0), OptionalInt.of(sizing.kpus()));
    ClusterNodeGroups nodeGroups;
    try {
      nodeGroups =
          EksctlNodeGroups.fromConfig(
              PlanManifests.YAML.readTree(files.get(CLUSTER_FILE)), "plan " + CLUSTER_FILE);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the plan wrote unreadable YAML", e);
    }
    CostOptions options =
        new CostOptions(
            CostOptions.DEFAULT_HOURS,
            1,
            true,
            false,
            request.stateGb(),
            1,
            CostOptions.SelfManagedView.DEDICATED,
            // a keyed job shuffles about what it ingests; the groups spread over these zones
            request.ingestMbPerS(),
            request.zones().size());
    CostComparison comparison = CostComparison.of(workload, nodeGroups, options, prices);
    return new Plan(request, sizing, groups, files, comparison);
  }

  static FlinkSpotPolicySpec policySpec(JsonNode policy) {
    return PlanManifests.YAML.convertValue(policy.path("spec"), FlinkSpotPolicySpec.class);
  }

  private static String header(PlanRequest request, Sizing sizing) {
    return "# Written by `flinkspot plan --ingest-mb-per-s "
        + request.ingestMbPerS().stripTrailingZeros().toPlainString()
        + " --region "
        + request.region()
        + "`: "
        + sizing.kpus()
        + " KPU-equivalents (1 vCPU + 4 GiB per MB/s) as "
        + sizing.taskManagers()
        + " TaskManagers x "
        + sizing.slotsPerTaskManager()
        + " slots on "
        + sizing.nodes()
        + " Spot node(s) of "
        + request.shape()
        + ".\n";
  }

  private static String clusterUsage(PlanRequest request) {
    return "#   export ACCOUNT_ID=\"$(aws sts get-caller-identity --query Account --output text)\"\n"
        + "#   sed \"s/<account>/${ACCOUNT_ID}/g\" "
        + CLUSTER_FILE
        + " > /tmp/"
        + request.clusterName()
        + "-cluster.yaml\n"
        + "#   eksctl create cluster -f /tmp/"
        + request.clusterName()
        + "-cluster.yaml\n";
  }
}
