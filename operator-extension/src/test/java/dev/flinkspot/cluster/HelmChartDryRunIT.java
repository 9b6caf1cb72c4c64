package dev.flinkspot.cluster;

import static dev.flinkspot.cluster.HelmChartIT.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.GoTool;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.PrometheusOperatorCrds;
import dev.flinkspot.testing.kube.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object charts/flinkspot renders, with default and with non-default values, is accepted by a
 * real kube-apiserver ({@code kubectl apply --dry-run=server}, as ShippedManifestsIT does for
 * k8s/): our CRDs from the chart and the Prometheus Operator CRDs of the pinned release are created
 * first, so the FlinkSpotPolicy, ServiceMonitor and PrometheusRule are validated too. The
 * non-default values turn on the opt-in NetworkPolicy: the API server validates it (no CNI runs
 * here, so nothing enforces it; that needs a NetworkPolicy-enforcing CNI on a real cluster).
 */
class HelmChartDryRunIT {

  @RegisterExtension static final KubeControlPlaneExtension KUBE = new KubeControlPlaneExtension();

  @BeforeAll
  static void crdsAndNamespaces() {
    KUBE.kubectl("apply", "--server-side", "-f", HelmChartIT.CHART + "/crds").orThrow();
    PrometheusOperatorCrds.load().forEach(crd -> FlinkCrds.apply(KUBE.client(), crd));
    // The non-default values watch flink and analytics: a RoleBinding goes into each.
    TestNamespaces.apply(KUBE.client(), "flinkspot-system", "flink", "analytics");
  }

  @Test
  void everyObjectRenderedWithDefaultValuesIsAcceptedByTheApiServer(@TempDir Path dir)
      throws IOException {
    assertAcceptedByTheApiServer(dir, "--set", "policy.create=true");
  }

  @Test
  void everyObjectRenderedWithNonDefaultValuesIsAcceptedByTheApiServer(@TempDir Path dir)
      throws IOException {
    assertThat(assertAcceptedByTheApiServer(dir, "-f", HelmChartIT.NON_DEFAULT))
        .contains("networkpolicy.networking.k8s.io/flinkspot-controller created (server dry run)");
  }

  private String assertAcceptedByTheApiServer(Path dir, String... values) throws IOException {
    List<String> args = new ArrayList<>(HelmChartIT.TEMPLATE);
    args.addAll(List.of(values));
    String yaml = assertOk(GoTool.HELM.run(args.toArray(String[]::new))).stdout();
    Path file = dir.resolve("rendered.yaml");
    Files.writeString(file, yaml);
    CommandResult applied = KUBE.kubectl("apply", "--dry-run=server", "-f", file.toString());
    assertThat(applied.ok()).as(applied.describe()).isTrue();
    List<JsonNode> objects = HelmChartIT.parse(yaml);
    assertThat(applied.stdout().strip().split("\n"))
        .as("one line per rendered object")
        .hasSize(objects.size())
        .allMatch(line -> line.endsWith("(server dry run)"));
    return applied.stdout();
  }
}
