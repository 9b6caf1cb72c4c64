package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.catalog.CatalogLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The k8s/ overlays and add-on values agree with eksctl/cluster.yaml: the same policy the example
 * uses, the autoscaler pointed at this cluster and preferring its Spot groups, the termination
 * handler tainting nodes, the operator using the service account eksctl gives an IAM role.
 */
class ShippedK8sTest {
  static final Path ROOT = ShippedFiles.root();
  static final JsonNode CLUSTER = ShippedFiles.yaml(ROOT.resolve("eksctl/cluster.yaml"));

  private static JsonNode addon(String file) {
    return ShippedFiles.yaml(ROOT.resolve("k8s/addons").resolve(file));
  }

  @Test
  void theOverlayPoliciesDifferFromTheExamplePolicyOnlyInTheirSchemeAndComments() {
    JsonNode example =
        ShippedFiles.yaml(ROOT.resolve("k8s/examples/spot-taskmanagers-policy.yaml"));
    JsonNode eks =
        ShippedFiles.yaml(ROOT.resolve("k8s/overlays/eks-managed-nodegroups/policy.yaml"));
    JsonNode karpenter = ShippedFiles.yaml(ROOT.resolve("k8s/overlays/karpenter/policy.yaml"));
    assertThat(eks.path("metadata")).isEqualTo(example.path("metadata"));
    assertThat(eks.path("spec").path("jobManager"))
        .isEqualTo(example.path("spec").path("jobManager"));
    assertThat(eks.path("spec").path("taskManager"))
        .isEqualTo(example.path("spec").path("taskManager"));
    assertThat(karpenter.path("spec").path("capacityLabels").path("scheme").asText())
        .isEqualTo("Karpenter");
    var withoutScheme = karpenter.path("spec").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) withoutScheme).remove("capacityLabels");
    var eksWithoutScheme = eks.path("spec").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) eksWithoutScheme).remove("capacityLabels");
    assertThat(withoutScheme).isEqualTo(eksWithoutScheme);
  }

  @Test
  void theOverlayPoliciesScaleTaskManagersWithAValidHpaSection() {
    for (String overlay : List.of("eks-managed-nodegroups", "karpenter")) {
      var scaling =
          ShippedFiles.scaling(
              ROOT.resolve("k8s/overlays").resolve(overlay).resolve("policy.yaml"));
      assertThat(scaling.invalidMessage()).isNull();
      assertThat(scaling.policy().enabled()).isTrue();
      assertThat(scaling.policy().maxTaskManagers()).isEqualTo(20);
    }
  }

  @Test
  void theExamplePolicyAgreesWithTheShippedCluster() {
    assertThat(
            ClusterConfigRules.check(
                CLUSTER,
                CatalogLoader.builtIn(),
                ShippedFiles.policySpec(
                    ROOT.resolve("k8s/examples/spot-taskmanagers-policy.yaml"))))
        .isEmpty();
  }

  @Test
  void bothOverlaysBuildOnTheBaseWithTheirPolicy() {
    for (String overlay : List.of("eks-managed-nodegroups", "karpenter")) {
      JsonNode k =
          ShippedFiles.yaml(
              ROOT.resolve("k8s/overlays").resolve(overlay).resolve("kustomization.yaml"));
      assertThat(k.path("resources").toString()).contains("../../base").contains("policy.yaml");
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
