package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flinkspot.cli.ControllerCommand;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.ManagedFlinkBill;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.LiveCost;
import dev.flinkspot.cost.live.ObservedNode;
import dev.flinkspot.cost.live.ObservedPod;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNodes;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live cost report on a real kube-apiserver: the controller runs in-process as its
 * ServiceAccount with only the shipped RBAC; Nodes are created Ready and pods are bound to them
 * with {@code spec.nodeName}, labelled as the Flink operator labels them.
 */
class CostReportIT {

  private static final String NS = "flink-cost";
  private static final String POLICY_LABEL = "flinkspot.dev/policy";

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            FlinkCrds.install(kube.client());
            FlinkCrds.apply(kube.client(), FlinkCrds.flinkspot("flinkspotpolicies.flinkspot.dev"));
            FlinkCrds.apply(kube.client(), FlinkCrds.flinkspot("flinkcostreports.flinkspot.dev"));
          });

  @Test
  void reportFollowsPodsAndNodesWritesOnlyOnChangeAndGoesWithThePolicy() throws Exception {
    KubernetesClient admin = KUBE.client();
    ControllerServiceAccount.applyShippedRbac(KUBE);
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    TestNodes.createReady(
        admin,
        TestNodes.onDemand("od-1", "m5.xlarge", "us-east-1a"),
        TestNodes.spot("spot-1", "m5.xlarge", "us-east-1b"),
        TestNodes.spot("spot-2", "c5.2xlarge", "us-east-1c"));
    var scenarios = new PlacementScenarios(admin, NS);
    scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
    var deployment =
        scenarios.createDeployment(
            "ticker", "flinkConfiguration: {taskmanager.numberOfTaskSlots: '2'}", false);
    createPod("ticker-jm", FlinkPods.JOB_MANAGER, "od-1", "1", "2Gi");
    createPod("ticker-tm-1", FlinkPods.TASK_MANAGER, "spot-1", "2", "4Gi");
    createPod("ticker-tm-2", FlinkPods.TASK_MANAGER, "od-1", "2", "4Gi");
    // Not ours: another app's pod on the same node is neither cached nor priced, nor is a Flink
    // pod without the governed label (a deployment no policy placed).
    admin
        .pods()
        .inNamespace(NS)
        .resource(TestPods.bound(NS, "web", Map.of("app", "web"), "od-1", "1", "1Gi"))
        .create();
    admin
        .pods()
        .inNamespace(NS)
        .resource(
            TestPods.bound(
                NS,
                "unplaced-tm",
                Map.of(
                    FlinkPods.APP,
                    "unplaced",
                    FlinkPods.COMPONENT,
                    FlinkPods.TASK_MANAGER,
                    FlinkPods.TYPE,
                    FlinkPods.NATIVE),
                "od-1",
                "1",
                "1Gi"))
        .create();

    var asServiceAccount = ControllerServiceAccount.impersonating(admin.getConfiguration()).build();
    var catalog = CatalogLoader.builtIn();
    var settings =
        new CostReportSettings(
            catalog,
            CostOptions.defaults(),
            "us-east-1",
            new ReportWritePolicy(Duration.ofMinutes(10), Duration.ofSeconds(1)));
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (KubernetesClient controllerClient =
            new KubernetesClientBuilder().withConfig(asServiceAccount).build();
        var runtime =
            new ControllerRuntime(
                controllerClient,
                TestControllerConfig.of(false, false).build(),
                registry,
                Clock.systemUTC(),
                Loops.standard(settings))) {
      ControllerCommand.preflightCostReports(controllerClient);
      runtime.start();

      // 1. The report appears, owned by the deployment, with the figures of what runs.
      FlinkCostReportStatus first =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status("ticker"), s -> s != null && s.taskManagers() == 2);
      // The shared pod cache holds the governed pods only, reduced (no image, no env).
      assertThat(runtime.shared().pods().inNamespaceAll())
          .extracting(p -> p.getMetadata().getName())
          .containsExactlyInAnyOrder("ticker-jm", "ticker-tm-1", "ticker-tm-2");
      assertThat(runtime.shared().pods().inNamespaceAll())
          .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isNull());
      FlinkCostReport report = report("ticker");
      assertThat(report.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("FlinkDeployment");
                assertThat(o.getUid()).isEqualTo(deployment.getMetadata().getUid());
                assertThat(o.getController()).isTrue();
              });
      var prices = catalog.region("us-east-1");
      var nodes =
          List.of(
              new ObservedNode(
                  "od-1", admin.nodes().withName("od-1").get().getMetadata().getLabels()),
              new ObservedNode(
                  "spot-1", admin.nodes().withName("spot-1").get().getMetadata().getLabels()));
      var expected =
          LiveCost.runRate(
              List.of(
                  new ObservedPod(
                      "jm", ObservedPod.Component.JOB_MANAGER, BigDecimal.ONE, 2L << 30, "od-1"),
                  new ObservedPod(
                      "tm-1",
                      ObservedPod.Component.TASK_MANAGER,
                      BigDecimal.valueOf(2),
                      4L << 30,
                      "spot-1"),
                  new ObservedPod(
                      "tm-2",
                      ObservedPod.Component.TASK_MANAGER,
                      BigDecimal.valueOf(2),
                      4L << 30,
                      "od-1")),
              nodes,
              4,
              CostOptions.defaults(),
              prices);
      assertThat(first.selfManagedUsdPerHour())
          .isEqualTo(
              expected.selfManagedUsdPerHour().setScale(6, RoundingMode.HALF_EVEN).toPlainString());
      var oneHour =
          new CostOptions(
              BigDecimal.ONE, 1, true, false, BigDecimal.ZERO, 1, CostOptions.defaults().view());
      assertThat(new BigDecimal(first.managedUsdPerHour()))
          .isEqualByComparingTo(
              ManagedFlinkBill.forParallelism(4, oneHour, prices)
                  .bill()
                  .totalUsd()
                  .setScale(6, RoundingMode.HALF_EVEN));
      assertThat(first.parallelism()).isEqualTo(4); // 2 TaskManagers × 2 slots
      assertThat(first.jobManagers()).isEqualTo(1);
      assertThat(first.spotSharePercent()).isEqualTo("50.0");
      assertThat(first.region()).isEqualTo("us-east-1");
      assertThat(first.conditions())
          .singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
      assertThat(registry.scrape())
          .contains(
              "flinkspot_cost_taskmanagers{deployment=\"ticker\",namespace=\"flink-cost\"} 2.0");

      var table = KUBE.kubectl("get", "flinkcostreports", "-A");
      assertThat(table.ok()).as(table.describe()).isTrue();
      assertThat(table.stdout()).contains("ticker").contains("TASKMANAGERS");
      Path out = Path.of("target", "flinkcostreports-it.txt");
      Files.writeString(out, table.stdout());
      System.out.println("kubectl get flinkcostreports -A\n" + table.stdout());

      // 2. Idle: the operator rewriting the deployment's status and a minute of nothing later,
      //    the report is not written again.
      String version = report("ticker").getMetadata().getResourceVersion();
      var d = FlinkDeployments.in(admin).inNamespace(NS).withName("ticker").get();
      d.setAdditionalProperty("status", Map.of("lifecycleState", "STABLE"));
      FlinkDeployments.in(admin).inNamespace(NS).resource(d).updateStatus();
      admin
          .pods()
          .inNamespace(NS)
          .withName("ticker-tm-1")
          .edit(
              p -> {
                p.getMetadata().setAnnotations(Map.of("touched", "yes"));
                return p;
              });
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(10))
          .until(() -> report("ticker").getMetadata().getResourceVersion().equals(version));

      // 3. A TaskManager moves to a Spot node of another type: the report follows.
      admin.pods().inNamespace(NS).withName("ticker-tm-2").delete();
      createPod("ticker-tm-3", FlinkPods.TASK_MANAGER, "spot-2", "2", "4Gi");
      FlinkCostReportStatus moved =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> status("ticker"),
                  s -> s.taskManagers() == 2 && "100.0".equals(s.spotSharePercent()));
      assertThat(moved.nodes())
          .extracting(
              FlinkCostReportStatus.PricedNode::name,
              FlinkCostReportStatus.PricedNode::instanceType)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("od-1", "m5.xlarge"),
              org.assertj.core.groups.Tuple.tuple("spot-1", "m5.xlarge"),
              org.assertj.core.groups.Tuple.tuple("spot-2", "c5.2xlarge"));
      assertThat(moved.selfManagedUsdPerHour()).isNotEqualTo(first.selfManagedUsdPerHour());

      // 4. A node's instance type label changes: priced at the new type.
      admin
          .nodes()
          .withName("od-1")
          .edit(
              n -> {
                n.getMetadata().getLabels().put(TestNodes.INSTANCE_TYPE, "m5.2xlarge");
                return n;
              });
      FlinkCostReportStatus retyped =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> status("ticker"),
                  s -> s.nodes().get(0).instanceType().equals("m5.2xlarge"));
      assertThat(retyped.selfManagedUsdPerHour()).isNotEqualTo(moved.selfManagedUsdPerHour());

      // 5. A node loses its instance-type label: Priced=False naming the node and the label.
      admin
          .nodes()
          .withName("spot-2")
          .edit(
              n -> {
                n.getMetadata().getLabels().remove(TestNodes.INSTANCE_TYPE);
                return n;
              });
      FlinkCostReportStatus unpriced =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> status("ticker"), s -> "False".equals(s.conditions().get(0).getStatus()));
      assertThat(unpriced.conditions().get(0).getMessage())
          .contains("spot-2")
          .contains("node.kubernetes.io/instance-type");
      assertThat(unpriced.conditions().get(0).getReason()).isEqualTo("MissingFigure");
      assertThat(unpriced.savingsPercent()).isNull(); // a partial figure would flatter self-managed
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scenarios.reasonsFor("ticker").contains("CostNotPriced"));
      var unpricedTable = KUBE.kubectl("get", "flinkcostreports", "-A");
      System.out.println("kubectl get flinkcostreports -A\n" + unpricedTable.stdout());
      Files.writeString(out, table.stdout() + "\n" + unpricedTable.stdout());

      // 6. The deployment leaves the policy: our report is deleted, its series dropped.
      FlinkDeployments.in(admin)
          .inNamespace(NS)
          .withName("ticker")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"remove\",\"path\":\"/metadata/labels/flinkspot.dev~1policy\"}]");
      await().atMost(Duration.ofSeconds(30)).until(() -> report("ticker") == null);
      assertThat(registry.scrape()).doesNotContain("deployment=\"ticker\"");
    }
  }

  private static FlinkCostReport report(String name) {
    return KUBE.client().resources(FlinkCostReport.class).inNamespace(NS).withName(name).get();
  }

  private static FlinkCostReportStatus status(String name) {
    FlinkCostReport r = report(name);
    return r == null ? null : r.getStatus();
  }

  private static void createPod(
      String name, String component, String node, String cpu, String memory) {
    KUBE.client()
        .pods()
        .inNamespace(NS)
        .resource(
            TestPods.flink(NS, name, "ticker", component, FlinkPods.NATIVE, node, cpu, memory))
        .create();
  }
}
