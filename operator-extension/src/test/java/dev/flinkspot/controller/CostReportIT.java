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
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.testing.kube.TestNodes;
import dev.flinkspot.testing.kube.TestPods;
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
import java.time.Instant;
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
      KubeControlPlaneExtension.installing(FlinkCrds::installWithFlinkspots);

  @Test
  void reportFollowsPodsAndNodesWritesOnlyOnChangeAndGoesWithThePolicy() throws Exception {
    KubernetesClient admin = namespace(NS);
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

    var catalog = CatalogLoader.builtIn();
    try (var controller = Controller.start(NS, catalog)) {
      var registry = controller.registry();
      // 1. The report appears, owned by the deployment, with the figures of what runs.
      FlinkCostReportStatus first =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status("ticker"), s -> s != null && s.taskManagers() == 2);
      // The shared pod cache holds the governed pods only, reduced (no image, no env).
      assertThat(controller.runtime().shared().pods().inNamespaceAll())
          .extracting(p -> p.getMetadata().getName())
          .containsExactlyInAnyOrder("ticker-jm", "ticker-tm-1", "ticker-tm-2");
      assertThat(controller.runtime().shared().pods().inNamespaceAll())
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

      // 6. The deployment leaves the policy: our report is closed with its totals (issue 17 item
      //    11), its series dropped.
      FlinkDeployments.in(admin)
          .inNamespace(NS)
          .withName("ticker")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"remove\",\"path\":\"/metadata/labels/flinkspot.dev~1policy\"}]");
      FlinkCostReportStatus closed =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status("ticker"), s -> s != null && s.closed() != null);
      assertThat(closed.conditions().get(0).getMessage()).contains("no FlinkSpotPolicy governs");
      assertThat(registry.scrape()).doesNotContain("deployment=\"ticker\"");
    }
  }

  /**
   * Issue 17 item 9: three governed deployments run; the EKS control plane is in their figures
   * once, in three equal shares, not three times. One stops: the two others carry half each, the
   * stopped one none. Idle, no report is written.
   */
  @Test
  void theControlPlaneIsSharedEquallyByTheRunningDeploymentsAndCountedOnce() throws Exception {
    String ns = "flink-share";
    KubernetesClient admin = namespace(ns);
    TestNodes.createReady(
        admin,
        TestNodes.onDemand("share-od", "m5.xlarge", "us-east-1a"),
        TestNodes.spot("share-spot", "m5.2xlarge", "us-east-1b"));
    var scenarios = new PlacementScenarios(admin, ns);
    scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
    List<String> apps = List.of("alpha", "beta", "gamma");
    for (String app : apps) {
      scenarios.createDeployment(app, "flinkConfiguration: {}", false);
      createPod(ns, app, app + "-jm", FlinkPods.JOB_MANAGER, "share-od", "1", "2Gi");
      createPod(ns, app, app + "-tm", FlinkPods.TASK_MANAGER, "share-spot", "2", "4Gi");
    }
    var catalog = CatalogLoader.builtIn();
    var prices = catalog.region("us-east-1");
    try (var ignored = Controller.start(ns, catalog)) {
      // 1. Three run: each carries a third of the control plane, and says so.
      List<FlinkCostReportStatus> thirds =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> apps.stream().map(a -> status(ns, a)).toList(),
                  all -> all.stream().allMatch(s -> s != null && sharedBy(s) == 3));
      var nodes =
          List.of(
              new ObservedNode(
                  "share-od", admin.nodes().withName("share-od").get().getMetadata().getLabels()),
              new ObservedNode(
                  "share-spot",
                  admin.nodes().withName("share-spot").get().getMetadata().getLabels()));
      var pods =
          List.of(
              new ObservedPod(
                  "jm", ObservedPod.Component.JOB_MANAGER, BigDecimal.ONE, 2L << 30, "share-od"),
              new ObservedPod(
                  "tm",
                  ObservedPod.Component.TASK_MANAGER,
                  BigDecimal.valueOf(2),
                  4L << 30,
                  "share-spot"));
      var alone = LiveCost.runRate(pods, nodes, 1, 1, CostOptions.defaults(), prices);
      var third = LiveCost.runRate(pods, nodes, 1, 3, CostOptions.defaults(), prices);
      BigDecimal controlPlane = prices.eksControlPlaneHour().value();
      for (FlinkCostReportStatus s : thirds) {
        assertThat(s.selfManagedUsdPerHour()).isEqualTo(micro(third.selfManagedUsdPerHour()));
        assertThat(s.clusterUsdPerHour()).isEqualTo(micro(controlPlane));
        assertThat(s.clusterShareUsdPerHour()).isEqualTo("0.033333");
      }
      // Three reports, the control plane once: their sum is the nodes' share plus $0.10, not $0.30.
      BigDecimal sum =
          thirds.stream()
              .map(s -> new BigDecimal(s.selfManagedUsdPerHour()))
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal nodesOnly = alone.selfManagedUsdPerHour().subtract(controlPlane);
      assertThat(sum)
          .isCloseTo(
              nodesOnly.multiply(BigDecimal.valueOf(3)).add(controlPlane),
              org.assertj.core.data.Offset.offset(new BigDecimal("0.000003")));

      var table = KUBE.kubectl("get", "flinkcostreports", "-n", ns);
      assertThat(table.ok()).as(table.describe()).isTrue();
      assertThat(table.stdout()).contains("CLUSTER SHARED BY");
      String cli =
          dev.flinkspot.cost.report.LiveReports.table(
              admin.resources(FlinkCostReport.class).inNamespace(ns).list().getItems());
      assertThat(cli)
          .contains("$0.100000/h, counted once")
          .contains("shared in equal parts by 3 running governed deployments");
      System.out.println("kubectl get flinkcostreports -n " + ns + "\n" + table.stdout());
      System.out.println("flinkspot report -n " + ns + "\n" + cli);

      // 2. Idle: nothing changed, nothing written.
      List<String> versions = apps.stream().map(a -> version(ns, a)).toList();
      await()
          .during(Duration.ofSeconds(6))
          .atMost(Duration.ofSeconds(10))
          .until(() -> apps.stream().map(a -> version(ns, a)).toList().equals(versions));

      // 3. gamma's only TaskManager goes: gamma carries none, alpha and beta half each.
      admin.pods().inNamespace(ns).withName("gamma-tm").withGracePeriod(0).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  sharedBy(status(ns, "alpha")) == 2
                      && sharedBy(status(ns, "beta")) == 2
                      && sharedBy(status(ns, "gamma")) == 0);
      assertThat(status(ns, "alpha").clusterShareUsdPerHour()).isEqualTo("0.050000");
      assertThat(status(ns, "gamma").clusterShareUsdPerHour()).isEqualTo("0.000000");
      assertThat(status(ns, "gamma").conditions().get(0).getReason()).isEqualTo("NotRunning");
    }
  }

  /** The shipped RBAC and namespace {@code ns}; returns the admin client. */
  private static KubernetesClient namespace(String ns) {
    KubernetesClient admin = KUBE.client();
    ControllerServiceAccount.applyShippedRbac(KUBE);
    TestNamespaces.create(admin, ns);
    return admin;
  }

  /**
   * Issue 17 item 11: deleting the policy closes the report instead of deleting it: the totals are
   * kept, an Event says what happened and how to export them, nothing is written while closed, and
   * re-creating the policy starts a new period that keeps the closed one with its totals.
   */
  @Test
  void deletingThePolicyClosesTheReportWithItsTotalsAndRecreatingItStartsANewPeriod()
      throws Exception {
    String ns = "flink-close";
    KubernetesClient admin = namespace(ns);
    TestNodes.createReady(admin, TestNodes.spot("close-spot", "m5.xlarge", "us-east-1a"));
    var scenarios = new PlacementScenarios(admin, ns);
    scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
    scenarios.createDeployment("orders", "flinkConfiguration: {}", false);
    createPod(ns, "orders", "orders-jm", FlinkPods.JOB_MANAGER, "close-spot", "1", "2Gi");
    createPod(ns, "orders", "orders-tm", FlinkPods.TASK_MANAGER, "close-spot", "2", "4Gi");
    try (var ignored = Controller.start(ns, CatalogLoader.builtIn())) {
      FlinkCostReportStatus open =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status(ns, "orders"), s -> s != null && sharedBy(s) == 1);
      assertThat(open.closed()).isNull();
      Thread.sleep(2_000); // something to accumulate

      // 1. The policy goes: the report stays, closed, with what it accumulated.
      admin
          .resources(dev.flinkspot.policy.FlinkSpotPolicy.class)
          .inNamespace(ns)
          .withName("spot-taskmanagers")
          .delete();
      FlinkCostReportStatus closed =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status(ns, "orders"), s -> s != null && s.closed() != null);
      assertThat(closed.since()).isEqualTo(open.since());
      assertThat(new BigDecimal(closed.accumulatedSelfManagedUsd())).isPositive();
      assertThat(new BigDecimal(closed.accumulatedManagedUsd())).isPositive();
      assertThat(closed.selfManagedUsdPerHour()).isNull();
      assertThat(closed.conditions().get(0).getReason()).isEqualTo("Closed");
      assertThat(closed.conditions().get(0).getMessage())
          .contains("policy spot-taskmanagers does not exist");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scenarios.reasonsFor("orders").contains("CostReportClosed"));
      assertThat(scenarios.eventsFor("orders"))
          .filteredOn(e -> "CostReportClosed".equals(e.getReason()))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .contains("$" + closed.accumulatedSelfManagedUsd())
                      .contains("flinkspot report -n flink-close -o json --output FILE"));
      var table = KUBE.kubectl("get", "flinkcostreports", "-n", ns);
      assertThat(table.stdout()).contains("Closed");
      System.out.println("kubectl get flinkcostreports -n " + ns + "\n" + table.stdout());

      // 2. Closed, nothing more is written.
      String version = version(ns, "orders");
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .until(() -> version(ns, "orders").equals(version));

      // 3. The policy is back: a new period, the closed one kept with its totals.
      scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
      FlinkCostReportStatus reopened =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status(ns, "orders"), s -> s.closed() == null);
      assertThat(Instant.parse(reopened.since())).isAfterOrEqualTo(Instant.parse(closed.closed()));
      assertThat(reopened.closedPeriods())
          .containsExactly(FlinkCostReportStatus.ClosedPeriod.of(closed));
    }
  }

  private static int sharedBy(FlinkCostReportStatus s) {
    return s == null || s.clusterSharedBy() == null ? -1 : s.clusterSharedBy();
  }

  private static String micro(BigDecimal usd) {
    return usd.setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }

  /**
   * The controller in-process, as its ServiceAccount with the shipped RBAC, watching {@code ns}.
   */
  private record Controller(
      KubernetesClient client, ControllerRuntime runtime, PrometheusMeterRegistry registry)
      implements AutoCloseable {
    static Controller start(String ns, dev.flinkspot.cost.catalog.PriceCatalog catalog)
        throws Exception {
      var settings =
          new CostReportSettings(
              catalog,
              CostOptions.defaults(),
              "us-east-1",
              new ReportWritePolicy(Duration.ofMinutes(10), Duration.ofSeconds(1)));
      var client =
          new KubernetesClientBuilder()
              .withConfig(
                  ControllerServiceAccount.impersonating(KUBE.client().getConfiguration()).build())
              .build();
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      var runtime =
          new ControllerRuntime(
              client,
              TestControllerConfig.of(false, false).namespaces(List.of(ns)).build(),
              registry,
              Clock.systemUTC(),
              Loops.standard(settings));
      ControllerCommand.preflightCostReports(client);
      runtime.start();
      return new Controller(client, runtime, registry);
    }

    @Override
    public void close() {
      runtime.close();
      client.close();
    }
  }

  private static FlinkCostReport report(String name) {
    return report(NS, name);
  }

  private static FlinkCostReport report(String ns, String name) {
    return KUBE.client().resources(FlinkCostReport.class).inNamespace(ns).withName(name).get();
  }

  private static String version(String ns, String name) {
    return report(ns, name).getMetadata().getResourceVersion();
  }

  private static FlinkCostReportStatus status(String name) {
    return status(NS, name);
  }

  private static FlinkCostReportStatus status(String ns, String name) {
    FlinkCostReport r = report(ns, name);
    return r == null ? null : r.getStatus();
  }

  private static void createPod(
      String name, String component, String node, String cpu, String memory) {
    createPod(NS, "ticker", name, component, node, cpu, memory);
  }

  private static void createPod(
      String ns,
      String app,
      String name,
      String component,
      String node,
      String cpu,
      String memory) {
    KUBE.client()
        .pods()
        .inNamespace(ns)
        .resource(TestPods.flink(ns, name, app, component, FlinkPods.NATIVE, node, cpu, memory))
        .create();
  }
}
