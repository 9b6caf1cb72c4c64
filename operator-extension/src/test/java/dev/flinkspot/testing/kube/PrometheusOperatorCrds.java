package dev.flinkspot.testing.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.testing.ResolvedOnce;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus Operator CRDs the shipped ServiceMonitor and PrometheusRule are validated against,
 * of the release pinned in {@code tools/prometheus-operator/go.mod}: read from that Go module's
 * {@code example/prometheus-operator-crd/} after {@code go mod download} (checked against go.sum).
 * Nothing of the operator is copied into this repository. Without Go the test is skipped (fails
 * under CI).
 */
public final class PrometheusOperatorCrds {

  /** The kinds flinkspot ships (k8s/monitoring, the chart). */
  public static final List<String> FILES =
      List.of(
          "monitoring.coreos.com_servicemonitors.yaml",
          "monitoring.coreos.com_podmonitors.yaml",
          "monitoring.coreos.com_prometheusrules.yaml");

  private static final ResolvedOnce<List<CustomResourceDefinition>> CRDS =
      new ResolvedOnce<>(PrometheusOperatorCrds::download);

  private PrometheusOperatorCrds() {}

  public static List<CustomResourceDefinition> load() {
    return CRDS.get();
  }

  private static Object download() {
    if (ControlPlaneBinaries.onPath("go").isEmpty()) {
      return "the Go toolchain ('go' on PATH) to download the Prometheus Operator CRDs pinned in"
          + " tools/prometheus-operator/go.mod";
    }
    Path tool = RepoRoot.find().resolve("tools/prometheus-operator");
    CommandResult result =
        KubeControlPlane.run(
            List.of(
                "go",
                "mod",
                "download",
                "-json",
                "github.com/prometheus-operator/prometheus-operator"),
            tool);
    if (!result.ok()) {
      throw new IllegalStateException(result.describe());
    }
    try {
      Path dir =
          Path.of(new ObjectMapper().readTree(result.stdout()).path("Dir").asText())
              .resolve("example/prometheus-operator-crd");
      var serialization = new KubernetesSerialization();
      List<CustomResourceDefinition> crds = new ArrayList<>();
      for (String file : FILES) {
        crds.add(
            serialization.unmarshal(
                Files.readString(dir.resolve(file)), CustomResourceDefinition.class));
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
