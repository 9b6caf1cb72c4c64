package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.catalog.CatalogLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The k8s/ overlays and add-on values agree with eksctl/cluster.yaml: one policy for every overlay,
 * the autoscaler pointed at this cluster and preferring its Spot groups, the termination handler
 * tainting nodes, the operator using the service account eksctl gives an IAM role.
 */
class ShippedK8sTest {
  static final Path ROOT = ShippedFiles.root();
  static final JsonNode CLUSTER = ShippedFiles.yaml(ROOT.resolve("eksctl/cluster.yaml"));
  static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml[^\\n]*\\n(.*?)```");

  private static JsonNode addon(String file) {
    return ShippedFiles.yaml(ROOT.resolve("k8s/addons").resolve(file));
  }

  /**
   * One FlinkSpotPolicy per namespace/name in everything we ship under k8s/ (YAML files, and the
   * YAML blocks of its Markdown examples): a second copy of a name, applied after the first,
   * silently replaces it (the example once held a policy of the overlays' name that differed).
   */
  @Test
  void everyFlinkSpotPolicyUnderK8sIsDefinedOnce() throws Exception {
    Map<String, List<String>> definitions = new TreeMap<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        List<JsonNode> docs = new ArrayList<>();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
          docs.addAll(ShippedFiles.documents(file));
        } else if (name.endsWith(".md")) {
          Matcher block = YAML_BLOCK.matcher(Files.readString(file));
          while (block.find()) {
            docs.add(ShippedFiles.YAML_READER.apply(block.group(1)));
          }
        }
        for (JsonNode doc : docs) {
          if ("FlinkSpotPolicy".equals(doc.path("kind").asText())) {
            JsonNode meta = doc.path("metadata");
            definitions
                .computeIfAbsent(
                    meta.path("namespace").asText("default") + "/" + meta.path("name").asText(),
                    k -> new ArrayList<>())
                .add(ROOT.relativize(file).toString());
          }
        }
      }
    }
    assertThat(definitions).containsEntry("flink/spot-taskmanagers", List.of(ShippedFiles.POLICY));
    assertThat(definitions).allSatisfy((policy, files) -> assertThat(files).as(policy).hasSize(1));
  }

  @Test
  void theKarpenterOverlayChangesOnlyThePolicysCapacityLabelScheme() {
    JsonNode patch = ShippedFiles.karpenterPolicyPatch();
    assertThat(patch).hasSize(1);
    assertThat(patch.get(0).path("op").asText()).isEqualTo("replace");
    assertThat(patch.get(0).path("path").asText()).isEqualTo("/spec/capacityLabels/scheme");
    assertThat(patch.get(0).path("value").asText()).isEqualTo("Karpenter");
    assertThat(ShippedFiles.karpenterPolicySpec().capacityLabels().scheme().name())
        .isEqualTo("Karpenter");
  }

  @Test
  void theShippedPolicyScalesTaskManagersWithAValidHpaSectionAndEnforcesCheckpointing() {
    var scaling = ShippedFiles.scaling(ShippedFiles.policy());
    assertThat(scaling.invalidMessage()).isNull();
    assertThat(scaling.policy().enabled()).isTrue();
    assertThat(scaling.policy().maxTaskManagers()).isEqualTo(20);
    assertThat(scaling.policy().enforceCheckpointing()).isTrue();
  }

  @Test
  void theShippedPolicyAgreesWithTheShippedCluster() {
    assertThat(
            ClusterConfigRules.check(
                CLUSTER, CatalogLoader.builtIn(), ShippedFiles.policySpec(ShippedFiles.policy())))
        .isEmpty();
  }

  @Test
  void everyOverlayBuildsOnTheBaseAndTheFlinkNamespace() throws Exception {
    try (Stream<Path> overlays = Files.list(ROOT.resolve("k8s/overlays"))) {
      List<Path> dirs = overlays.sorted().toList();
      assertThat(dirs).hasSizeGreaterThanOrEqualTo(4);
      for (Path overlay : dirs) {
        JsonNode k = ShippedFiles.yaml(overlay.resolve("kustomization.yaml"));
        assertThat(k.path("resources").toString())
            .as(overlay.toString())
            .contains("../../base")
            .contains("../../flink");
      }
    }
  }

  @Test
  void theAutoscalerDiscoversThisClusterAndPrefersItsSpotGroups() {
    JsonNode values = addon("cluster-autoscaler.values.yaml");
    assertThat(values.path("autoDiscovery").path("clusterName").asText())
        .isEqualTo(CLUSTER.path("metadata").path("name").asText());
    assertThat(values.path("awsRegion").asText())
        .isEqualTo(CLUSTER.path("metadata").path("region").asText());
    assertThat(values.path("extraArgs").path("expander").asText()).startsWith("priority");
    assertThat(values.path("extraArgs").path("balance-similar-node-groups").asBoolean()).isTrue();
    assertThat(values.path("rbac").path("serviceAccount").path("name").asText())
        .isEqualTo("cluster-autoscaler");

    JsonNode priorities =
        ShippedFiles.YAML_READER.apply(
            addon("cluster-autoscaler-priority-expander.yaml")
                .path("data")
                .path("priorities")
                .asText());
    int top = 0;
    for (var it = priorities.fieldNames(); it.hasNext(); ) {
      top = Math.max(top, Integer.parseInt(it.next()));
    }
    List<Pattern> preferred = new ArrayList<>();
    priorities.path(String.valueOf(top)).forEach(p -> preferred.add(Pattern.compile(p.asText())));
    for (JsonNode group : CLUSTER.path("managedNodeGroups")) {
      // Managed node groups' ASGs are named eks-<nodegroup>-<uuid>.
      String asg = "eks-" + group.path("name").asText() + "-1ac9a6f1-0000-4c1f-9d1b-6f2b3b1f6f3e";
      boolean first = preferred.stream().anyMatch(p -> p.matcher(asg).matches());
      assertThat(first).as(asg).isEqualTo(group.path("spot").asBoolean(false));
    }
  }

  @Test
  void theTerminationHandlerTaintsAndDrainsOnSpotInterruptions() {
    JsonNode values = addon("aws-node-termination-handler.values.yaml");
    assertThat(values.path("taintNode").asBoolean()).isTrue();
    assertThat(values.path("enableSpotInterruptionDraining").asBoolean()).isTrue();
    assertThat(values.path("daemonsetTolerations").toString()).contains("Exists");
  }

  /**
   * The signals the Spot-notice loop reads exist at the warning: NTH taints as its drain's
   * pre-drain task, at the interruption time minus nodeTerminationGracePeriod (120 s: the warning
   * itself), and posts Node Events; a rebalance recommendation cordons and taints but never drains.
   */
  @Test
  void theTerminationHandlerSignalsAtTheWarningWithEvents() {
    JsonNode values = addon("aws-node-termination-handler.values.yaml");
    assertThat(values.path("emitKubernetesEvents").asBoolean()).isTrue();
    assertThat(values.path("nodeTerminationGracePeriod").asInt()).isEqualTo(120);
    assertThat(values.path("enableRebalanceMonitoring").asBoolean()).isTrue();
    assertThat(values.path("enableRebalanceDraining").asBoolean(true)).isFalse();
  }

  /** Karpenter reads the queue eksctl creates (named after the cluster) under the v1 key. */
  @Test
  void karpenterReadsTheInterruptionQueueEksctlCreates() {
    JsonNode cluster = ShippedFiles.yaml(ROOT.resolve("eksctl/cluster-karpenter.yaml"));
    assertThat(cluster.at("/karpenter/withSpotInterruptionQueue").asBoolean()).isTrue();
    assertThat(addon("karpenter.values.yaml").at("/settings/interruptionQueue").asText())
        .isEqualTo(cluster.at("/metadata/name").asText());
  }

  /**
   * The controller's NetworkPolicy lets it reach the API server, the JobManagers' REST port in the
   * Flink namespace and the cluster DNS, and nothing else.
   */
  @Test
  void theControllerMayReachTheApiServerTheJobManagersRestPortAndDnsOnly() {
    JsonNode policy =
        ShippedFiles.yaml(ROOT.resolve("k8s/network-policy/flinkspot-controller.yaml"));
    Map<String, JsonNode> egress = new TreeMap<>();
    for (JsonNode rule : policy.at("/spec/egress")) {
      egress.put(rule.path("ports").toString(), rule.path("to"));
    }
    assertThat(policy.at("/spec/policyTypes").toString()).contains("Egress");
    assertThat(egress)
        .containsOnlyKeys(
            "[{\"protocol\":\"TCP\",\"port\":443}]",
            "[{\"protocol\":\"TCP\",\"port\":8081}]",
            "[{\"protocol\":\"UDP\",\"port\":53},{\"protocol\":\"TCP\",\"port\":53}]");
    JsonNode rest = egress.get("[{\"protocol\":\"TCP\",\"port\":8081}]").get(0);
    assertThat(rest.at("/podSelector/matchLabels/component").asText()).isEqualTo("jobmanager");
    assertThat(rest.at("/namespaceSelector/matchExpressions/0/values").toString())
        .isEqualTo("[\"flink\"]");
  }

  @Test
  void theOperatorRunsFlinkAsTheServiceAccountEksctlGaveARole() {
    JsonNode values = addon("flink-kubernetes-operator.values.yaml");
    JsonNode sa = CLUSTER.path("iam").path("serviceAccounts").get(0).path("metadata");
    assertThat(values.path("jobServiceAccount").path("create").asBoolean(true)).isFalse();
    assertThat(values.path("jobServiceAccount").path("name").asText())
        .isEqualTo(sa.path("name").asText());
    assertThat(values.path("watchNamespaces").toString()).contains(sa.path("namespace").asText());
  }
}
