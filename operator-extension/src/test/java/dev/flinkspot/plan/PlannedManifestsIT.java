package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.RepoRoot;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes files {@code flinkspot plan} writes (the FlinkSpotPolicy and the FlinkDeployment)
 * pass {@code kubectl apply --dry-run=server} on a real API server with the shipped CRDs, as the
 * shipped manifests do.
 */
class PlannedManifestsIT {

  @RegisterExtension static final KubeControlPlaneExtension KUBE = new KubeControlPlaneExtension();

  /** Why the FlinkSpotPolicy CRD of k8s/base could not be created, or null when it was. */
  private static String policyCrdRejected;

  @BeforeAll
  static void installCrds() throws Exception {
    FlinkCrds.install(KUBE.client());
    Path policyCrd = RepoRoot.find().resolve("k8s/base/flinkspotpolicies.flinkspot.dev.yaml");
    try {
      FlinkCrds.apply(
          KUBE.client(),
          KUBE.client()
              .getKubernetesSerialization()
              .unmarshal(Files.readString(policyCrd), CustomResourceDefinition.class));
    } catch (KubernetesClientException e) {
      // The shipped-manifests test reports the CRD itself; here the policy cannot be checked.
      policyCrdRejected = "the API server rejects " + policyCrd + ": " + e.getMessage();
    }
    KUBE.client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("flink").endMetadata().build())
        .serverSideApply();
  }

  private static Planner.Plan plan(String rate) {
    return Planner.plan(
        new PlanRequest(
            new BigDecimal(rate),
            "us-east-1",
            BigDecimal.ZERO,
            NodeShape.parse("4x16", "x86_64"),
            List.of(),
            "flinkspot",
            "stock-ticker",
            "flink",
            "m5.large",
            "123456789012.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:0.1.0",
            "flinkspot-checkpoints-123456789012",
            "flinkspot",
            "stock-ticker",
            "flinkspot-stock-ticker"),
        CatalogLoader.builtIn());
  }

  private static void assertAccepted(Planner.Plan plan, String file, Path dir) throws Exception {
    Path path = dir.resolve(file);
    Files.writeString(path, plan.files().get(file));
    CommandResult result = KUBE.kubectl("apply", "--dry-run=server", "-f", path.toString());
    assertThat(result.ok()).as(file + ": " + result.describe()).isTrue();
  }

  @ParameterizedTest(name = "{0} MB/s")
  @ValueSource(strings = {"1", "10", "250"})
  void thePlannedDeploymentIsAccepted(String rate, @TempDir Path dir) throws Exception {
    assertAccepted(plan(rate), Planner.DEPLOYMENT_FILE, dir);
  }

  @Test
  void thePlannedPolicyIsAccepted(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(policyCrdRejected == null, () -> "not validated: " + policyCrdRejected);
    assertAccepted(plan("10"), Planner.POLICY_FILE, dir);
  }
}
