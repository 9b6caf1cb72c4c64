package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.GoTool;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.RepoRoot;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.testing.kube.TestNodes;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's namespaced mode on a real kube-apiserver: rendered with {@code watchNamespaces}, the
 * RBAC lets the controller (run in-process as its ServiceAccount, every loop on) place, scale and
 * cost the deployments of the watched namespace, and read no pod outside it; and it never needs
 * {@code get} on FlinkDeployments.
 */
class NamespacedRbacIT {

  private static final String WATCHED = "flink-watched";
  private static final String OTHER = "team-other";

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithFlinkspots);

  @Test
  void theWatchedNamespaceIsReconciledAndNoOtherPodCanBeRead() throws Exception {
    KubernetesClient admin = KUBE.client();
    TestNamespaces.create(admin, WATCHED, OTHER);
    applyNamespacedRbac();
    TestNodes.createReady(
        admin,
        TestNodes.onDemand("od-1", "m5.xlarge", "us-east-1a"),
        TestNodes.spot("spot-1", "m5.xlarge", "us-east-1b"));
    new PlacementScenarios(admin, WATCHED)
        .createPolicy(
            "spot-taskmanagers",
            PolicyFixtures.SPOT_TASKMANAGERS
                + "scaling: {minTaskManagers: 1, maxTaskManagers: 4}\n");
    new PlacementScenarios(admin, WATCHED).createDeployment("ticker", "", false);
    pod(admin, WATCHED, "ticker-tm-1", "ticker", "spot-1");
    pod(admin, OTHER, "elsewhere-tm-1", "elsewhere", "spot-1");

    var asServiceAccount = ControllerServiceAccount.impersonating(admin.getConfiguration()).build();
    var settings =
        new CostReportSettings(
            CatalogLoader.builtIn(),
            CostOptions.defaults(),
            "us-east-1",
            new ReportWritePolicy(Duration.ofMinutes(10), Duration.ofSeconds(1)));
    try (KubernetesClient controllerClient =
            new KubernetesClientBuilder().withConfig(asServiceAccount).build();
        var runtime =
            new ControllerRuntime(
                    controllerClient,
                    TestControllerConfig.of(false, false).namespaces(List.of(WATCHED)).build(),
                    new SimpleMeterRegistry(),
                    Clock.systemUTC(),
                    Loops.standard(settings))
                .start()) {
      // Placement (one JSON patch, no GET), the HPA and the cost report, all as the ServiceAccount.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        FlinkDeployments.in(admin)
                            .inNamespace(WATCHED)
                            .withName("ticker")
                            .get()
                            .toString())
                    .contains("flinkspot.dev/governed");
                assertThat(
                        admin
                            .autoscaling()
                            .v2()
                            .horizontalPodAutoscalers()
                            .inNamespace(WATCHED)
                            .withName("ticker")
                            .get())
                    .isNotNull();
                FlinkCostReport report =
                    admin
                        .resources(FlinkCostReport.class)
                        .inNamespace(WATCHED)
                        .withName("ticker")
                        .get();
                assertThat(report).isNotNull();
                assertThat(report.getStatus()).isNotNull();
                assertThat(report.getStatus().taskManagers()).isEqualTo(1);
              });
      assertThat(runtime.shared().pods().inNamespaceAll())
          .extracting(p -> p.getMetadata().getName())
          .containsExactly("ticker-tm-1");

      // What the ServiceAccount itself may read: pods only in the watched namespace.
      assertThat(controllerClient.pods().inNamespace(WATCHED).list().getItems()).hasSize(1);
      assertForbidden(() -> controllerClient.pods().inNamespace(OTHER).list());
      assertForbidden(() -> controllerClient.pods().inAnyNamespace().list());
      assertForbidden(() -> FlinkDeployments.in(controllerClient).inNamespace(OTHER).list());
      assertForbidden(
          () ->
              FlinkDeployments.in(controllerClient).inNamespace(WATCHED).withName("ticker").get());
      assertThat(controllerClient.nodes().list().getItems()).hasSize(2);
    }
  }

  /** k8s/base's namespace and ServiceAccount, and the chart's RBAC with watchNamespaces set. */
  private static void applyNamespacedRbac() throws Exception {
    Path base = RepoRoot.find().resolve("k8s/base");
    for (String file : List.of("namespace.yaml", "serviceaccount.yaml")) {
      KUBE.kubectl("apply", "-f", base.resolve(file).toString()).orThrow();
    }
    var rendered =
        GoTool.HELM.run(
            "template",
            "flinkspot",
            RepoRoot.find().resolve("charts/flinkspot").toString(),
            "--namespace",
            "flinkspot-system",
            "--set",
            "watchNamespaces={" + WATCHED + "}",
            "--show-only",
            "templates/rbac.yaml");
    Path rbac = Files.createTempFile("flinkspot-rbac-", ".yaml");
    Files.writeString(rbac, rendered.orThrow().stdout());
    KUBE.kubectl("apply", "-f", rbac.toString()).orThrow();
  }

  private static void pod(KubernetesClient admin, String ns, String name, String app, String node) {
    admin
        .pods()
        .inNamespace(ns)
        .resource(
            TestPods.flink(
                ns, name, app, FlinkPods.TASK_MANAGER, FlinkPods.NATIVE, node, "1", "2Gi"))
        .create();
  }

  private static void assertForbidden(Runnable read) {
    assertThatThrownBy(read::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }
}
