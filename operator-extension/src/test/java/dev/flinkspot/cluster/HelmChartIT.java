package dev.flinkspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.GoTool;
import dev.flinkspot.testing.kube.KubeControlPlane;
import dev.flinkspot.testing.kube.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charts/flinkspot with the real helm (built from helm.sh/helm/v3 by tools/helm): it lints, it is
 * the one source of k8s/base, k8s/monitoring and k8s/network-policy, and its values reach the
 * manifests and are bounded. HelmChartDryRunIT has a real API server accept what it renders.
 */
class HelmChartIT {

  static final String CHART = "charts/flinkspot";
  static final String NON_DEFAULT =
      "operator-extension/src/test/resources/chart/non-default-values.yaml";
  static final List<String> TEMPLATE =
      List.of("template", "flinkspot", CHART, "--namespace", "flinkspot-system");

  @Test
  void lintsCleanWithDefaultAndNonDefaultValues() {
    assertOk(GoTool.HELM.run("lint", "--strict", CHART));
    assertOk(GoTool.HELM.run("lint", "--strict", CHART, "-f", NON_DEFAULT));
  }

  @Test
  void k8sBaseAndMonitoringAreTheChartRendered(@TempDir Path out) throws IOException {
    Path root = RepoRoot.find();
    assertOk(
        KubeControlPlane.run(List.of("bash", "tools/helm/render-k8s.sh", out.toString()), root));
    for (String dir : List.of("k8s/base", "k8s/monitoring", "k8s/network-policy")) {
      Map<String, String> rendered = yamlFiles(out.resolve(dir));
      Map<String, String> committed = yamlFiles(root.resolve(dir));
      committed.remove("namespace.yaml"); // kept by hand: helm install --create-namespace
      assertThat(committed)
          .as(dir + " differs from charts/flinkspot: run tools/helm/render-k8s.sh and commit")
          .containsExactlyInAnyOrderEntriesOf(rendered);
    }
  }

  @Test
  void nonDefaultValuesReachTheManifests() throws IOException {
    List<JsonNode> objects = render("-f", NON_DEFAULT);
    JsonNode deployment = only(objects, "Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.path("image").asText())
        .isEqualTo(
            "ghcr.io/example/flinkspot@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(strings(container.path("args")))
        .containsExactly(
            "controller",
            "--log-format=text",
            "--metrics-max-deployments=500",
            "--namespaces=flink,analytics",
            "--no-webhook",
            "--cost-report-interval=PT2M",
            "--cost-region=eu-west-1",
            "--prices=/etc/flinkspot/prices/eu-prices.yaml",
            "--spare-priority-class=batch-low",
            "--spare-image=registry.k8s.io/pause:3.10");
    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("250m");
    assertThat(deployment.at("/spec/template/spec/volumes/1/configMap/name").asText())
        .isEqualTo("flinkspot-prices");
    assertThat(kinds(objects))
        .doesNotContain("MutatingWebhookConfiguration", "PodDisruptionBudget", "PriorityClass")
        .contains("ServiceMonitor", "PrometheusRule", "FlinkSpotPolicy");
    assertThat(only(objects, "ServiceMonitor").at("/metadata/labels/release").asText())
        .isEqualTo("kube-prometheus-stack");
    assertThat(only(objects, "ServiceMonitor").at("/spec/endpoints/0/interval").asText())
        .isEqualTo("15s");
    assertThat(only(objects, "PrometheusRule").at("/spec/groups/0/rules").size())
        .isGreaterThanOrEqualTo(6);
    // The opt-in NetworkPolicy with its values; without the webhook, no webhook ingress rule.
    JsonNode network = only(objects, "NetworkPolicy");
    assertThat(network.at("/spec/ingress").size()).isEqualTo(1);
    assertThat(network.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels").toString())
        .contains("observability");
    assertThat(network.at("/spec/egress/0/to").toString()).contains("10.0.0.0/16", "10.1.0.0/16");
    assertThat(network.at("/spec/egress/1/ports/0/port").asInt()).isEqualTo(8082);
    assertThat(network.at("/spec/egress/1/to/0/namespaceSelector/matchExpressions/0/values"))
        .extracting(JsonNode::asText)
        .containsExactly("flink", "analytics");
    JsonNode policy = only(objects, "FlinkSpotPolicy");
    assertThat(policy.at("/metadata/namespace").asText()).isEqualTo("flink");
    assertThat(policy.at("/spec/capacityLabels/scheme").asText()).isEqualTo("Karpenter");
    assertThat(policy.at("/spec/scaling/maxTaskManagers").asInt()).isEqualTo(20);
    // Without the webhook the controller needs neither its Secret nor the webhook configuration.
    assertThat(only(objects, "Role").toString()).doesNotContain("secrets");
    // watchNamespaces: cluster-wide only nodes; every namespaced grant (pods included) through
    // one RoleBinding per watched namespace.
    JsonNode clusterRole = named(objects, "ClusterRole", "flinkspot-controller");
    assertThat(clusterRole.toString())
        .doesNotContain("mutatingwebhookconfigurations", "pods", "flinkdeployments");
    assertThat(clusterRole.at("/rules/0/resources").toString()).isEqualTo("[\"nodes\"]");
    assertThat(named(objects, "ClusterRole", "flinkspot-controller-namespaced").toString())
        .contains("pods", "flinkdeployments", "events");
    assertThat(objects)
        .filteredOn(o -> "RoleBinding".equals(o.path("kind").asText()))
        .filteredOn(o -> "flinkspot-controller-namespaced".equals(o.at("/roleRef/name").asText()))
        .extracting(o -> o.at("/metadata/namespace").asText())
        .containsExactlyInAnyOrder("flink", "analytics");

    List<JsonNode> other =
        render(
            "--set", "webhook.timeoutSeconds=10",
            "--set", "costReports.enabled=false",
            "--set", "metrics.enabled=false");
    assertThat(only(other, "MutatingWebhookConfiguration").at("/webhooks/0/timeoutSeconds").asInt())
        .isEqualTo(10);
    JsonNode template = only(other, "Deployment").at("/spec/template");
    assertThat(strings(template.at("/spec/containers/0/args")))
        .containsExactly(
            "controller",
            "--log-format=json",
            "--metrics-max-deployments=2000",
            "--no-cost-reports");
    assertThat(template.at("/metadata/annotations").isMissingNode()).isTrue();
    assertThat(kinds(other))
        .contains("PodDisruptionBudget", "PriorityClass")
        .as("the NetworkPolicy is opt-in")
        .doesNotContain("NetworkPolicy");
    assertThat(other).noneMatch(o -> "flinkspot-metrics".equals(o.at("/metadata/name").asText()));
  }

  @Test
  void valuesOutOfBoundsAreRefusedNamingTheValue() {
    Map<String, String> refused = new TreeMap<>();
    refused.put("replicas=0", "replicas");
    refused.put("logFormat=xml", "logFormat");
    refused.put("spares.priorityClass.value=5", "value");
    refused.put("webhook.timeoutSeconds=31", "timeoutSeconds");
    refused.put("costReports.interval=5 minutes", "interval");
    refused.put("watchNamespaces[0]=Not_A_Namespace", "watchNamespaces");
    refused.put("image.digest=latest", "digest");
    refused.put("replica=3", "replica");
    refused.put("networkPolicy.restPort=0", "restPort");
    refused.put("metrics.maxDeployments=100001", "maxDeployments");
    refused.put("networkPolicy.apiServerCidrs[0]=everywhere", "apiServerCidrs");
    refused.forEach(
        (set, field) -> {
          List<String> args = new ArrayList<>(TEMPLATE);
          args.addAll(List.of("--set", set));
          CommandResult result = GoTool.HELM.run(args.toArray(String[]::new));
          assertThat(result.ok()).as(set + " accepted").isFalse();
          assertThat(result.stderr()).as(set).contains(field);
        });
  }

  static CommandResult assertOk(CommandResult result) {
    assertThat(result.ok()).as(result.describe()).isTrue();
    return result;
  }

  static List<JsonNode> render(String... values) throws IOException {
    List<String> args = new ArrayList<>(TEMPLATE);
    args.addAll(List.of(values));
    return parse(assertOk(GoTool.HELM.run(args.toArray(String[]::new))).stdout());
  }

  static List<JsonNode> parse(String yaml) throws IOException {
    try (var docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      return docs.readAll().stream().filter(d -> d != null && d.has("kind")).toList();
    }
  }

  private static JsonNode only(List<JsonNode> objects, String kind) {
    List<JsonNode> matching =
        objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    assertThat(matching).as("objects of kind " + kind).hasSize(1);
    return matching.get(0);
  }

  private static JsonNode named(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .filter(o -> name.equals(o.at("/metadata/name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<String> kinds(List<JsonNode> objects) {
    return objects.stream().map(o -> o.path("kind").asText()).toList();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Map<String, String> yamlFiles(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }
}
