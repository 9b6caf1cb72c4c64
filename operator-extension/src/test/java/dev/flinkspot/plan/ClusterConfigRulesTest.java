package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.nodes.EksctlNodeGroups;
import dev.flinkspot.policy.FlinkSpotPolicySpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped eksctl files follow the project's Spot rules, and each rule catches its breach. */
class ClusterConfigRulesTest {
  static final PriceCatalog CATALOG = CatalogLoader.builtIn();
  static final Path ROOT = ShippedFiles.root();
  static final Path CLUSTER = ROOT.resolve("eksctl/cluster.yaml");
  static final Path KARPENTER_CLUSTER = ROOT.resolve("eksctl/cluster-karpenter.yaml");

  private static ObjectNode cluster() {
    return (ObjectNode) ShippedFiles.yaml(CLUSTER);
  }

  private static FlinkSpotPolicySpec eksPolicy() {
    return ShippedFiles.policySpec(ShippedFiles.policy());
  }

  private static ObjectNode group(ObjectNode config, String name) {
    for (JsonNode g : config.path("managedNodeGroups")) {
      if (g.path("name").asText().equals(name)) {
        return (ObjectNode) g;
      }
    }
    throw new AssertionError("no group " + name);
  }

  @Test
  void theShippedClusterFollowsEveryRuleAndAgreesWithTheOverlayPolicy() {
    assertThat(ClusterConfigRules.check(cluster(), CATALOG, eksPolicy())).isEmpty();
  }

  @Test
  void theShippedClusterIsTheLayoutTheCostEngineAssumesByDefault() {
    ClusterNodeGroups shipped = EksctlNodeGroups.read(CLUSTER);
    ClusterNodeGroups defaults = ClusterNodeGroups.defaults();
    assertThat(shipped.jobManagers().instanceTypes())
        .isEqualTo(defaults.jobManagers().instanceTypes());
    assertThat(shipped.taskManagers().instanceTypes())
        .containsExactlyInAnyOrderElementsOf(defaults.taskManagers().instanceTypes());
  }

  @Test
  void theShippedKarpenterVariantFollowsEveryRule() {
    List<JsonNode> objects = ShippedFiles.objectsIn(ROOT.resolve("k8s/karpenter"));
    assertThat(objects)
        .extracting(o -> o.path("kind").asText())
        .contains("EC2NodeClass", "NodePool");
    assertThat(
            KarpenterRules.check(
                ShippedFiles.yaml(KARPENTER_CLUSTER),
                objects,
                CATALOG,
                ShippedFiles.karpenterPolicySpec()))
        .isEmpty();
  }

  @Test
  void theKarpenterPolicyDoesNotFitManagedNodeGroups() {
    assertThat(ClusterConfigRules.check(cluster(), CATALOG, ShippedFiles.karpenterPolicySpec()))
        .singleElement()
        .asString()
        .contains("karpenter.sh/capacity-type", "eks.amazonaws.com/capacityType");
  }

  @Test
  void aSpotGroupOfTwoTypesIsRefused() {
    ObjectNode config = cluster();
    ArrayNode types = group(config, "taskmanagers-spot-a").putArray("instanceTypes");
    types.add("m5.xlarge").add("m5a.xlarge");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .containsExactly(
            "TaskManager group taskmanagers-spot-a lists 2 instance type(s): list at least 3 of"
                + " one shape");
  }

  @Test
  void aSpotGroupMixingShapesIsRefused() {
    ObjectNode config = cluster();
    ((ArrayNode) group(config, "taskmanagers-spot-a").path("instanceTypes")).add("m5.2xlarge");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .anyMatch(p -> p.contains("mixes shapes") && p.contains("8 vCPU / 32 GiB"));
  }

  @Test
  void anArmTypeAmongX86TypesIsAnotherShape() {
    ObjectNode config = cluster();
    ((ArrayNode) group(config, "taskmanagers-spot-b").path("instanceTypes")).add("m7g.xlarge");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .anyMatch(p -> p.contains("mixes shapes") && p.contains("arm64"));
  }

  @Test
  void aSpotGroupInOneZoneIsRefused() {
    ObjectNode config = cluster();
    group(config, "taskmanagers-spot-b").putArray("availabilityZones").add("us-east-1a");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .containsExactly(
            "TaskManager group taskmanagers-spot-b spans 1 availability zone(s): use at least 2"
                + " (better three)");
  }

  @Test
  void oneSpotGroupIsNotEnough() {
    ObjectNode config = cluster();
    ArrayNode groups = (ArrayNode) config.path("managedNodeGroups");
    groups.remove(3);
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .anyMatch(p -> p.startsWith("only 1 TaskManager node group"));
  }

  @Test
  void aSpotJobManagerGroupIsRefused() {
    ObjectNode config = cluster();
    group(config, "jobmanagers-on-demand").put("spot", true);
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .contains("JobManager group jobmanagers-on-demand is Spot: JobManagers belong On-Demand");
  }

  @Test
  void anOnDemandTaskManagerGroupIsRefused() {
    ObjectNode config = cluster();
    group(config, "taskmanagers-spot-a").remove("spot");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .contains("TaskManager group taskmanagers-spot-a is not Spot (spot: true)");
  }

  @Test
  void anUntaintedTaskManagerGroupIsRefused() {
    ObjectNode config = cluster();
    group(config, "taskmanagers-spot-a").remove("taints");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .containsExactly(
            "group taskmanagers-spot-a lacks the taint flinkspot.dev/pool=taskmanager:NoSchedule"
                + " (other pods would land on it)");
  }

  @Test
  void aMissingNodeTemplateTagMeansNoScaleFromZero() {
    ObjectNode config = cluster();
    ((ObjectNode) group(config, "taskmanagers-spot-b").path("tags"))
        .remove("k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .singleElement()
        .asString()
        .contains("node-template/label/eks.amazonaws.com/capacityType: SPOT", "from zero");
  }

  @Test
  void aTaintThePolicyDoesNotTolerateIsReported() {
    ObjectNode config = cluster();
    ((ArrayNode) group(config, "taskmanagers-spot-a").path("taints"))
        .addObject()
        .put("key", "dedicated")
        .put("value", "analytics")
        .put("effect", "NoSchedule");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .containsExactly(
            "policy TaskManager tolerations do not tolerate the taint dedicated=analytics:NoSchedule"
                + " of taskmanagers-spot-a");
  }

  @Test
  void aPolicySelectingAnotherLabelIsReported() {
    ObjectNode config = cluster();
    ((ObjectNode) group(config, "jobmanagers-on-demand").path("labels"))
        .put("flinkspot.dev/pool", "jobmanager");
    FlinkSpotPolicySpec policy =
        dev.flinkspot.policy.PolicyFixtures.spec(
            """
            jobManager:
              nodeSelector: {role: flink-jm}
              tolerations:
                - {key: flinkspot.dev/pool, operator: Exists}
            taskManager:
              nodeSelector: {flinkspot.dev/pool: taskmanager}
              tolerations:
                - {key: flinkspot.dev/pool, operator: Equal, value: taskmanager, effect: NoSchedule}
            """);
    assertThat(ClusterConfigRules.check(config, CATALOG, policy))
        .singleElement()
        .asString()
        .startsWith(
            "policy JobManager nodeSelector role=flink-jm does not match the labels of"
                + " jobmanagers-on-demand");
  }

  @Test
  void wildcardPermissionsForFlinkAreRefused() {
    ObjectNode config = cluster();
    ObjectNode statement = (ObjectNode) flinkStatements(config).get(1);
    statement.put("Action", "s3:*");
    statement.put("Resource", "*");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .containsExactly(
            "service account flink: action s3:* is a wildcard; list the actions it needs",
            "service account flink: resource * is a wildcard; name the bucket, the cluster and the topic");
  }

  @Test
  void flinkWithoutMskPermissionsIsReported() {
    ObjectNode config = cluster();
    ArrayNode statements = flinkStatements(config);
    // A Kinesis grant (the source the job does not read) instead of the MSK ones.
    for (int i = statements.size() - 1; i >= 0; i--) {
      if (statements.get(i).path("Action").toString().contains("kafka-cluster:")) {
        statements.remove(i);
      }
    }
    statements
        .addObject()
        .put("Effect", "Allow")
        .put("Action", "kinesis:GetRecords")
        .put("Resource", "arn:aws:kinesis:us-east-1:1:stream/s");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .containsExactly("service account flink: no MSK (kafka-cluster:) permission for the topic");
  }

  /** The IAM statements of the Flink pods' service account (the first one). */
  private static ArrayNode flinkStatements(ObjectNode config) {
    return (ArrayNode)
        config.path("iam").path("serviceAccounts").get(0).path("attachPolicy").path("Statement");
  }

  @Test
  void noSystemGroupIsReported() {
    ObjectNode config = cluster();
    ((ArrayNode) config.path("managedNodeGroups")).remove(0);
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .singleElement()
        .asString()
        .startsWith("no system node group");
  }

  @Test
  void aKarpenterSpotPoolPinnedToTwoTypesAndOneZoneIsRefused() {
    List<JsonNode> objects = ShippedFiles.objectsIn(ROOT.resolve("k8s/karpenter"));
    ObjectNode tm =
        (ObjectNode)
            objects.stream()
                .filter(o -> o.path("metadata").path("name").asText().equals("flink-taskmanagers"))
                .findFirst()
                .orElseThrow();
    ArrayNode requirements =
        (ArrayNode) tm.path("spec").path("template").path("spec").path("requirements");
    requirements.removeAll();
    requirements
        .addObject()
        .put("key", "karpenter.sh/capacity-type")
        .put("operator", "In")
        .putArray("values")
        .add("spot")
        .add("on-demand");
    requirements
        .addObject()
        .put("key", "node.kubernetes.io/instance-type")
        .put("operator", "In")
        .putArray("values")
        .add("m5.xlarge")
        .add("m6i.xlarge");
    requirements
        .addObject()
        .put("key", "topology.kubernetes.io/zone")
        .put("operator", "In")
        .putArray("values")
        .add("us-east-1a");
    assertThat(
            KarpenterRules.check(
                ShippedFiles.yaml(KARPENTER_CLUSTER),
                objects,
                CATALOG,
                ShippedFiles.karpenterPolicySpec()))
        .containsExactly(
            "NodePool flink-taskmanagers must require karpenter.sh/capacity-type In [spot] only",
            "Spot NodePool flink-taskmanagers allows [m5.xlarge, m6i.xlarge]: allow at least 3"
                + " instance types",
            "Spot NodePool flink-taskmanagers allows one zone: allow at least 2");
  }

  @Test
  void karpenterWithoutTheInterruptionQueueIsRefused() {
    ObjectNode config = (ObjectNode) ShippedFiles.yaml(KARPENTER_CLUSTER);
    ((ObjectNode) config.path("karpenter")).put("withSpotInterruptionQueue", false);
    assertThat(
            KarpenterRules.check(
                config,
                ShippedFiles.objectsIn(ROOT.resolve("k8s/karpenter")),
                CATALOG,
                ShippedFiles.karpenterPolicySpec()))
        .singleElement()
        .asString()
        .startsWith("karpenter.withSpotInterruptionQueue must be true");
  }

  @Test
  void aFieldOutsideEksctlsSchemaIsReported() {
    ObjectNode config = cluster();
    group(config, "taskmanagers-spot-a").put("propagateAsgTags", true);
    ((ObjectNode) config.path("iam").path("serviceAccounts").get(0).path("metadata"))
        .put("annotation", "x");
    assertThat(ClusterConfigRules.check(config, CATALOG, eksPolicy()))
        .contains(
            "managedNodeGroups[taskmanagers-spot-a].propagateAsgTags is not a field of eksctl's"
                + " ManagedNodeGroup schema",
            "iam.serviceAccounts[0].metadata.annotation is not a field of eksctl's ClusterIAMMeta"
                + " schema");
  }

  @Test
  void badTaintEffectsSizesAndInstanceTypeFieldsAreReported() {
    ObjectNode config = cluster();
    ObjectNode jm = group(config, "jobmanagers-on-demand");
    ((ObjectNode) jm.path("taints").get(0)).put("effect", "NoScheduled");
    jm.put("instanceType", "m5.large");
    jm.put("desiredCapacity", 9);
    assertThat(EksctlSchema.check(config))
        .containsExactly(
            "managedNodeGroups[jobmanagers-on-demand].taints[0].effect 'NoScheduled' is not"
                + " "
                + EksctlSchema.TAINT_EFFECTS,
            "managedNodeGroups[jobmanagers-on-demand]: only one of instanceType or instanceTypes"
                + " can be specified",
            "managedNodeGroups[jobmanagers-on-demand]: needs minSize <= desiredCapacity <= maxSize");
  }

  @Test
  void aKarpenterPoolInAZoneOutsideTheClusterIsReported() {
    List<JsonNode> objects = ShippedFiles.objectsIn(ROOT.resolve("k8s/karpenter"));
    for (JsonNode o : objects) {
      for (JsonNode r : o.path("spec").path("template").path("spec").path("requirements")) {
        if (r.path("key").asText().equals("topology.kubernetes.io/zone")) {
          ((ArrayNode) r.path("values")).add("us-east-1d");
        }
      }
    }
    assertThat(
            KarpenterRules.check(
                ShippedFiles.yaml(KARPENTER_CLUSTER),
                objects,
                CATALOG,
                ShippedFiles.karpenterPolicySpec()))
        .hasSize(2)
        .allMatch(p -> p.contains("us-east-1d") && p.contains("outside the cluster's"));
  }
}
