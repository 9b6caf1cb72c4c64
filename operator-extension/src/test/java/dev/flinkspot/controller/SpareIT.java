package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.cost.nodes.NodeAllocatable;
import dev.flinkspot.desired.SpareDecision;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.StandaloneFlinkWorkloads;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.testing.kube.TestNodes;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warm spares on a real control plane (tools/kube): kube-apiserver + etcd, kube-scheduler and
 * kube-controller-manager (its Deployment, ReplicaSet and garbage-collector controllers). The
 * controller runs in-process as its ServiceAccount with the shipped RBAC and PriorityClass
 * (k8s/base). The TaskManager Deployment is rendered from the stored FlinkDeployment with the Flink
 * operator's own factories ({@link StandaloneFlinkWorkloads}); no kubelet runs, so pods are bound
 * but never run (the test marks a placeholder Ready as a kubelet would, for the gauge). The cost
 * reports run too: the placeholders' own line of the FlinkCostReport.
 */
class SpareIT {

  private static final String NS = "flink-spares";
  private static final String POOL = "flinkspot.dev/pool";
  private static final PriceCatalog CATALOG = CatalogLoader.builtIn();

  // The garbage collector discovers resource types at start: CRDs before the controller-manager.
  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> b.withScheduler(),
          kube -> {
            FlinkCrds.installWithFlinkspots(kube.client());
            kube.startControllerManager();
          });

  private static AutoCloseable leases;

  @AfterAll
  static void stopLeases() throws Exception {
    if (leases != null) {
      leases.close();
    }
  }

  @Test
  void policyWithANegativeOrAbsurdSpareIsRefusedByTheSchema() {
    KubernetesClient admin = KUBE.client();
    TestNamespaces.create(admin, "flink-bad-spare");
    var scenarios = new PlacementScenarios(admin, "flink-bad-spare");
    for (String bad : List.of("-1", "101")) {
      assertThatThrownBy(
              () ->
                  scenarios.createPolicy(
                      "bad-" + bad.replace("-", "minus"),
                      PolicyFixtures.SPOT_TASKMANAGERS + "  spare: " + bad + "\n"))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("taskManager.spare must be 0 to 100");
    }
    scenarios.createPolicy("fine", PolicyFixtures.SPOT_TASKMANAGERS + "  spare: 100\n");
  }

  @Test
  void sparesAreKeptLikeTaskManagersPreemptedForOneAndRemovedWithTheirDeployment()
      throws Exception {
    KubernetesClient admin = KUBE.client();
    ControllerServiceAccount.applyShippedRbac(KUBE, "priorityclass.yaml");
    TestNamespaces.create(admin, NS);
    // One Spot TaskManager node with room for exactly two TaskManager-sized pods (2 vCPU each),
    // and a Spot node of another pool that the TaskManagers' placement excludes.
    TestNodes.createReady(
        admin,
        TestNodes.spot("tm-spot-1a", "m5.xlarge", "us-east-1a")
            .resources("4", "16Gi")
            .label(POOL, "taskmanager")
            .taint(POOL, "taskmanager", "NoSchedule"),
        TestNodes.spot("other-spot-1b", "m5.xlarge", "us-east-1b").resources("16", "64Gi"));
    leases = TestNodes.renewLeases(admin, List.of("tm-spot-1a", "other-spot-1b"));
    var scenarios = new PlacementScenarios(admin, NS);
    scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS + "  spare: 1\n");
    scenarios.createDeployment(
        "ticker", "job: {jarURI: 'local:///opt/flink/job.jar', state: running}", false);

    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var asServiceAccount = ControllerServiceAccount.impersonating(admin.getConfiguration()).build();
    try (KubernetesClient controllerClient =
            new KubernetesClientBuilder().withConfig(asServiceAccount).build();
        var runtime =
            new ControllerRuntime(
                    controllerClient,
                    TestControllerConfig.of(false, false).build(),
                    registry,
                    Clock.systemUTC(),
                    Loops.standard(
                        new CostReportSettings(
                            CATALOG,
                            CostOptions.defaults(),
                            "us-east-1",
                            new ReportWritePolicy(Duration.ofMinutes(10), Duration.ofSeconds(1))),
                        SpotNoticeSettings.production()
                            .at((ns, name, port) -> URI.create("http://127.0.0.1:1"))))
                .start()) {
      // The reconciler places the deployment; then its spares follow the placed template.
      JsonNode placed =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> scenarios.json("ticker"),
                  d -> d.at("/spec/taskManager/podTemplate/spec/affinity").isObject());
      await().atMost(Duration.ofSeconds(30)).until(runtime::idle);
      var rendered = StandaloneFlinkWorkloads.render(placed, admin.getKubernetesSerialization());
      admin.resource(rendered.taskManager()).create();

      Pod taskManager = bound(() -> taskManagers(admin), 1).get(0);
      Pod spare = bound(() -> spares(admin), 1).get(0);
      assertThat(spare.getSpec().getNodeName())
          .as("on the TaskManager pool")
          .isEqualTo("tm-spot-1a");
      var tmSpec = taskManager.getSpec();
      var spareSpec = spare.getSpec();
      assertThat(spareSpec.getAffinity()).isEqualTo(tmSpec.getAffinity());
      assertThat(spareSpec.getTolerations()).containsAll(placementTolerations(tmSpec));
      assertThat(spareSpec.getTopologySpreadConstraints())
          .isEqualTo(tmSpec.getTopologySpreadConstraints());
      assertThat(spareSpec.getContainers().get(0).getResources().getRequests())
          .isEqualTo(mainContainer(taskManager).getResources().getRequests());
      assertThat(spareSpec.getContainers().get(0).getImage())
          .isEqualTo(mainContainer(taskManager).getImage());
      assertThat(spareSpec.getPriority()).as("the shipped PriorityClass").isEqualTo(-1);
      assertThat(spare.getMetadata().getLabels()).doesNotContainKeys("component", "type", "app");

      // Issue 12 item 3: the report prices the placeholder on its own line, at the TaskManager
      // node's price, and counts one TaskManager, not two.
      FlinkCostReportStatus report =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> costReport(admin),
                  r -> r != null && r.spares() != null && r.spares().pods() == 1);
      assertThat(runtime.shared().pods().inNamespaceAll())
          .as("the placeholder is in the one governed pod cache")
          .extracting(p -> p.getMetadata().getName())
          .contains(spare.getMetadata().getName(), taskManager.getMetadata().getName());
      System.out.println(
          "SpareIT cost report: taskManagers "
              + report.taskManagers()
              + ", self-managed $/h "
              + report.selfManagedUsdPerHour()
              + ", spares "
              + report.spares());
      assertThat(report.taskManagers()).isEqualTo(1);
      assertThat(report.spares().pending()).isZero();
      var prices = CATALOG.region("us-east-1");
      var requests = spareSpec.getContainers().get(0).getResources().getRequests();
      BigDecimal onePlaceholder =
          prices
              .spotHour("m5.xlarge")
              .usdPerHour()
              .multiply(
                  NodeAllocatable.of(prices.instanceType("m5.xlarge"))
                      .shareOf(
                          requests.get("cpu").getNumericalAmount(),
                          requests
                              .get("memory")
                              .getNumericalAmount()
                              .divide(BigDecimal.valueOf(1L << 30), MathContext.DECIMAL64)));
      assertThat(new BigDecimal(report.spares().usdPerHour()))
          .isEqualByComparingTo(onePlaceholder.setScale(6, RoundingMode.HALF_EVEN));
      // The TaskManager beside it, same size, same node: the same price again, and self-managed
      // is the two of them plus the control plane.
      assertThat(
              new BigDecimal(report.selfManagedUsdPerHour())
                  .subtract(new BigDecimal(report.clusterShareUsdPerHour())))
          .isCloseTo(
              onePlaceholder.multiply(BigDecimal.valueOf(2)),
              Offset.offset(new BigDecimal("2e-6")));
      assertThat(report.nodes())
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.name()).isEqualTo("tm-spot-1a");
                assertThat(n.taskManagers()).isEqualTo(1);
                assertThat(n.spares()).isEqualTo(1);
              });
      assertThat(registry.scrape())
          .contains(
              "flinkspot_cost_spare_usd_per_hour{deployment=\"ticker\",namespace=\"" + NS + "\"}")
          .contains(
              "flinkspot_cost_taskmanagers{deployment=\"ticker\",namespace=\"" + NS + "\"} 1.0");

      // A kubelet would mark the placeholder Ready: the gauge follows the Deployment's status.
      markReady(admin, spare);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  registry
                      .scrape()
                      .contains(
                          "flinkspot_spare_pods_ready{deployment=\"ticker\",namespace=\""
                              + NS
                              + "\"} 1.0"));

      // Fixed point: nothing more is written however often the loop runs again. (Placed by the
      // reconciler after creation, the spares were created before the placement and updated
      // once after it; with the webhook the deployment is placed at admission.)
      Deployment spares = spareDeployment(admin);
      long generation = spares.getMetadata().getGeneration();
      String annotations = spares.getMetadata().getAnnotations().toString();
      double writes = writes(registry);
      double inSync = reconciles(registry, "IN_SYNC");
      relabel(admin, "team", "data");
      relabel(admin, "team", "analytics");
      Thread.sleep(1_000);
      await().atMost(Duration.ofSeconds(30)).until(runtime::idle);
      assertThat(spareDeployment(admin).getMetadata().getGeneration()).isEqualTo(generation);
      assertThat(spareDeployment(admin).getMetadata().getAnnotations().toString())
          .isEqualTo(annotations);
      assertThat(writes(registry)).as("spare writes at the fixed point").isEqualTo(writes);
      assertThat(reconciles(registry, "IN_SYNC")).isGreaterThanOrEqualTo(inSync + 2);
      assertThat(reconciles(registry, "CREATED")).isEqualTo(1);

      // A Spot notice on another node with one of its TaskManagers: the Ready placeholder off
      // that node takes the replacement (a native-mode pod, which the rendered ReplicaSet of
      // standalone mode does not adopt).
      admin
          .pods()
          .inNamespace(NS)
          .resource(
              TestPods.flink(
                  NS,
                  "ticker-tm-elsewhere",
                  "ticker",
                  FlinkPods.TASK_MANAGER,
                  FlinkPods.NATIVE,
                  "other-spot-1b",
                  "2",
                  "4Gi"))
          .create();
      spotNotice(admin, "other-spot-1b");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> eventMessages("ReplacementReady").size() == 1);
      assertThat(eventMessages("ReplacementReady").get(0))
          .contains("1 of 1", "off node other-spot-1b");
      admin.pods().inNamespace(NS).withName("ticker-tm-elsewhere").withGracePeriod(0).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.pods().inNamespace(NS).withName("ticker-tm-elsewhere").get() == null);

      // A replacement TaskManager finds no room: kube-scheduler preempts the placeholder, the
      // TaskManager is bound to its node, and the new placeholder waits for capacity.
      admin.apps().deployments().inNamespace(NS).withName("ticker-taskmanager").scale(2);
      List<Pod> both = bound(() -> taskManagers(admin), 2);
      assertThat(both)
          .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("tm-spot-1a"));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        admin.pods().inNamespace(NS).withName(spare.getMetadata().getName()).get())
                    .as("the preempted placeholder is gone")
                    .isNull();
                List<Pod> waiting = spares(admin);
                assertThat(waiting).singleElement();
                assertThat(waiting.get(0).getSpec().getNodeName()).isNull();
                assertThat(unschedulable(waiting.get(0))).isTrue();
              });
      // The report follows: two TaskManagers, the waiting placeholder free and pending.
      FlinkCostReportStatus preempted =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> costReport(admin),
                  r -> r.taskManagers() == 2 && r.spares() != null && r.spares().pending() == 1);
      assertThat(preempted.spares().pods()).isZero();
      assertThat(preempted.spares().usdPerHour()).isEqualTo("0.000000");

      // The replacement turns Ready: timed from the notice, on the warm-spare path.
      markReady(
          admin,
          both.stream()
              .filter(p -> !p.getMetadata().getName().equals(taskManager.getMetadata().getName()))
              .findFirst()
              .orElseThrow());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  registry
                      .scrape()
                      .contains(
                          "flinkspot_notice_to_replacement_ready_seconds_count{spare=\"true\"} 1"));

      // A notice on the TaskManagers' node while the only placeholder waits: pending.
      spotNotice(admin, "tm-spot-1a");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> eventMessages("ReplacementPending").size() == 1);
      assertThat(eventMessages("ReplacementPending").get(0)).contains("tm-spot-1a");

      // Suspended: the spares go; running again: they come back.
      setJobState(admin, "suspended");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> spareDeploymentOrNull(admin) == null && spares(admin).isEmpty());
      assertThat(scenarios.eventsFor("ticker"))
          .extracting(e -> e.getReason())
          .contains("SparesCreated", "SparesDeleted");
      setJobState(admin, "running");
      await().atMost(Duration.ofSeconds(30)).until(() -> spareDeploymentOrNull(admin) != null);
      await().atMost(Duration.ofSeconds(30)).until(() -> !spares(admin).isEmpty());
    }

    // The controller is stopped: the garbage collector alone removes the spares with their owner.
    FlinkDeployments.in(admin).inNamespace(NS).withName("ticker").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                spareDeploymentOrNull(admin) == null
                    && admin
                        .apps()
                        .replicaSets()
                        .inNamespace(NS)
                        .withLabel(SpareDecision.SPARE_FOR_LABEL)
                        .list()
                        .getItems()
                        .isEmpty()
                    && spares(admin).isEmpty());
  }

  private static FlinkCostReportStatus costReport(KubernetesClient admin) {
    FlinkCostReport r =
        admin.resources(FlinkCostReport.class).inNamespace(NS).withName("ticker").get();
    return r == null ? null : r.getStatus();
  }

  private static List<String> eventMessages(String reason) {
    return KUBE.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> "ticker".equals(e.getInvolvedObject().getName()))
        .map(io.fabric8.kubernetes.api.model.Event::getMessage)
        .toList();
  }

  /** The taint aws-node-termination-handler puts on a node (NTH pkg/node/node.go). */
  private static void spotNotice(KubernetesClient admin, String node) {
    TestNodes.retryOnConflict(
        () ->
            admin
                .nodes()
                .withName(node)
                .edit(
                    n ->
                        new io.fabric8.kubernetes.api.model.NodeBuilder(n)
                            .editSpec()
                            .addNewTaint()
                            .withKey("aws-node-termination-handler/spot-itn")
                            .withValue("spot-itn-" + node)
                            .withEffect("NoSchedule")
                            .endTaint()
                            .endSpec()
                            .build()));
  }

  private static double reconciles(PrometheusMeterRegistry registry, String result) {
    var counter =
        registry.find("flinkspot_reconciles").tags("kind", "SPARES", "result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static double writes(PrometheusMeterRegistry registry) {
    return reconciles(registry, "CREATED")
        + reconciles(registry, "UPDATED")
        + reconciles(registry, "DELETED");
  }

  private static List<Pod> taskManagers(KubernetesClient admin) {
    return admin
        .pods()
        .inNamespace(NS)
        .withLabels(Map.of("app", "ticker", "component", "taskmanager"))
        .list()
        .getItems();
  }

  private static List<Pod> spares(KubernetesClient admin) {
    return admin
        .pods()
        .inNamespace(NS)
        .withLabel(SpareDecision.SPARE_FOR_LABEL, "ticker")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static List<Pod> bound(java.util.function.Supplier<List<Pod>> pods, int count) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            pods::get,
            list ->
                list.size() == count
                    && list.stream().allMatch(p -> p.getSpec().getNodeName() != null));
  }

  private static List<io.fabric8.kubernetes.api.model.Toleration> placementTolerations(
      io.fabric8.kubernetes.api.model.PodSpec tm) {
    // The API server adds not-ready/unreachable tolerations to every pod: compare the policy's.
    return tm.getTolerations().stream().filter(t -> POOL.equals(t.getKey())).toList();
  }

  private static io.fabric8.kubernetes.api.model.Container mainContainer(Pod p) {
    return p.getSpec().getContainers().stream()
        .filter(c -> SpareDecision.FLINK_MAIN_CONTAINER.equals(c.getName()))
        .findFirst()
        .orElseThrow();
  }

  private static boolean unschedulable(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()));
  }

  private static void markReady(KubernetesClient admin, Pod p) {
    TestPods.markReady(admin, NS, p.getMetadata().getName());
  }

  private static Deployment spareDeploymentOrNull(KubernetesClient admin) {
    return admin.apps().deployments().inNamespace(NS).withName(SpareDecision.name("ticker")).get();
  }

  private static Deployment spareDeployment(KubernetesClient admin) {
    Deployment d = spareDeploymentOrNull(admin);
    assertThat(d).isNotNull();
    return d;
  }

  private static void relabel(KubernetesClient admin, String key, String value) {
    TestNodes.retryOnConflict(
        () ->
            FlinkDeployments.in(admin)
                .inNamespace(NS)
                .withName("ticker")
                .edit(
                    d -> {
                      d.getMetadata().getLabels().put(key, value);
                      return d;
                    }));
  }

  @SuppressWarnings("unchecked")
  private static void setJobState(KubernetesClient admin, String state) {
    TestNodes.retryOnConflict(
        () ->
            FlinkDeployments.in(admin)
                .inNamespace(NS)
                .withName("ticker")
                .edit(
                    d -> {
                      var spec = (Map<String, Object>) d.getAdditionalProperties().get("spec");
                      ((Map<String, Object>) spec.get("job")).put("state", state);
                      return d;
                    }));
  }
}
