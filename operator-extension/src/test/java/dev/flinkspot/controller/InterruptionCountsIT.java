package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.cost.report.LiveReports;
import dev.flinkspot.interruption.counts.InterruptionCounts;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.flink.JobManagerRestStub;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.testing.kube.TestNodes;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interruption counts on a real kube-apiserver, with the controller as its ServiceAccount and the
 * shipped RBAC: a tainted node is counted in the policy status and in the deployment's cost report;
 * a restart counts nothing twice and recovers what the earlier leader had not written (from its
 * Events); a second notice, whose checkpoint fails, adds one notice and one failed checkpoint. A
 * replacement TaskManager turning Ready is timed in {@code
 * flinkspot_notice_to_replacement_ready_seconds}.
 */
class InterruptionCountsIT {

  private static final String NS = "flink-counts";
  private static final String POLICY = "spot-taskmanagers";
  private static final String NTH_TAINT = "aws-node-termination-handler/spot-itn";

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithFlinkspots);

  @Test
  void noticesAreCountedOnceInPolicyAndCostReportAcrossARestart() throws Exception {
    KubernetesClient admin = KUBE.client();
    ControllerServiceAccount.applyShippedRbac(KUBE);
    TestNamespaces.create(admin, NS);
    TestNodes.createReady(
        admin,
        TestNodes.spot("spot-a", "m5.xlarge", "us-east-1a"),
        TestNodes.spot("spot-b", "m5.xlarge", "us-east-1b"),
        TestNodes.spot("spot-c", "m5.xlarge", "us-east-1c"),
        TestNodes.onDemand("od-jm", "m5.large", "us-east-1a"));
    var scenarios = new PlacementScenarios(admin, NS);
    scenarios.createPolicy(POLICY, PolicyFixtures.SPOT_TASKMANAGERS);
    scenarios.createDeployment("ticker", "", true);
    pod("ticker-jm", FlinkPods.JOB_MANAGER, "od-jm");
    pod("ticker-tm-1", FlinkPods.TASK_MANAGER, "spot-a");
    pod("ticker-tm-2", FlinkPods.TASK_MANAGER, "spot-b");
    markReady(admin, "ticker-tm-1");
    markReady(admin, "ticker-tm-2");

    try (var jm = new JobManagerRestStub(JobManagerRestStub.Mode.COMPLETES)) {
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      try (var controller = Controller.start(jm, registry)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> report() != null && controller.idle());
        assertThat(policyCounts()).as("no notice yet: no counts").isNull();
        assertThat(registry.scrape())
            .contains(
                "flinkspot_notice_to_replacement_ready_seconds_bucket{spare=\"false\",le=\"600.0\"} 0")
            .contains(
                "flinkspot_notice_to_replacement_ready_seconds_bucket{spare=\"true\",le=\"1.0\"} 0");

        // 1. A notice: counted in the policy status and in the cost report.
        double writesBefore = policyStatusWrites(registry);
        editNode(admin, "spot-a", n -> taint(n, NTH_TAINT, "spot-itn-0001"));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> completed(policyCounts()) == 1 && completed(reportCounts()) == 1);
        await().atMost(Duration.ofSeconds(30)).until(controller::idle);
        double writes = policyStatusWrites(registry) - writesBefore;
        System.out.printf("policy status writes for one notice and its checkpoint: %.0f%n", writes);
        assertThat(writes).as("the notice, then its outcome (or both at once)").isBetween(1.0, 2.0);
        for (InterruptionCounts c : List.of(policyCounts(), reportCounts())) {
          assertThat(c.notices()).isEqualTo(1);
          assertThat(c.bySignal()).isEqualTo(Map.of("nth-spot-interruption", 1));
          assertThat(c.checkpointsFailed()).isZero();
          assertThat(c.lastNotice()).isNotNull();
          assertThat(c.recent())
              .singleElement()
              .satisfies(r -> assertThat(r.node()).isEqualTo("spot-a"));
        }
        assertThat(policyCounts().recent().get(0).deployment()).isEqualTo("ticker");
        assertThat(reportCounts().recent().get(0).deployment()).as("its own record").isNull();

        // The replacement TaskManager starts on another node and turns Ready: timed once.
        pod("ticker-tm-3", FlinkPods.TASK_MANAGER, "spot-c");
        markReady(admin, "ticker-tm-3");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    registry
                        .scrape()
                        .contains(
                            "flinkspot_notice_to_replacement_ready_seconds_count{spare=\"false\"} 1"));
        assertThat(registry.scrape())
            .contains(
                "flinkspot_notice_to_replacement_ready_seconds_bucket{spare=\"false\",le=\"600.0\"} 1");

        // A fixed point: nothing more to count, no further policy status write.
        await().atMost(Duration.ofSeconds(30)).until(controller::idle);
        String version = policy().getMetadata().getResourceVersion();
        Thread.sleep(2_000);
        await().atMost(Duration.ofSeconds(30)).until(controller::idle);
        assertThat(policy().getMetadata().getResourceVersion()).isEqualTo(version);
      }

      // 2. As if the earlier leader had died before writing the policy's counts: they are gone.
      TestNodes.retryOnConflict(
          () ->
              admin
                  .resources(FlinkSpotPolicy.class)
                  .inNamespace(NS)
                  .withName(POLICY)
                  .editStatus(
                      p -> {
                        p.getStatus().setInterruptions(null);
                        return p;
                      }));
      assertThat(policyCounts()).isNull();
      try (var restarted =
          Controller.start(jm, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
        // The new leader replays the earlier leader's Events: the policy's counts come back, the
        // report's (written) are not doubled, and no second checkpoint is taken.
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(policyCounts()) == 1);
        Thread.sleep(2_000);
        await().atMost(Duration.ofSeconds(30)).until(restarted::idle);
        for (InterruptionCounts c : List.of(policyCounts(), reportCounts())) {
          assertThat(c.notices()).as("after a restart").isEqualTo(1);
          assertThat(c.checkpointsCompleted()).isEqualTo(1);
        }
        assertThat(jm.triggers()).isEqualTo(1);

        // 3. A second notice, from Karpenter on the other node, whose checkpoint fails: one more.
        jm.mode(JobManagerRestStub.Mode.FAILS);
        editNode(admin, "spot-b", n -> taint(n, "karpenter.sh/disrupted", null));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> failed(policyCounts()) == 1 && failed(reportCounts()) == 1);
        for (InterruptionCounts c : List.of(policyCounts(), reportCounts())) {
          assertThat(c.notices()).isEqualTo(2);
          assertThat(c.bySignal())
              .isEqualTo(Map.of("nth-spot-interruption", 1, "karpenter-disrupted", 1));
          assertThat(c.checkpointsCompleted()).isEqualTo(1);
          assertThat(c.recent())
              .extracting(InterruptionCounts.Recent::node, InterruptionCounts.Recent::checkpoint)
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple("spot-a", "completed"),
                  org.assertj.core.groups.Tuple.tuple("spot-b", "failed"));
        }
        assertThat(jm.triggers()).isEqualTo(2);
        String table =
            LiveReports.table(
                admin.resources(FlinkCostReport.class).inNamespace(NS).list().getItems());
        assertThat(table)
            .contains(
                "spot notices in the period of flink-counts/ticker: 2 (karpenter-disrupted 1,"
                    + " nth-spot-interruption 1)")
            .contains("checkpoints on notice: 1 completed, 1 failed");
        System.out.println("flinkspot report -n " + NS + "\n" + table);
      }
    }
  }

  private static int completed(InterruptionCounts c) {
    return c == null ? 0 : c.checkpointsCompleted();
  }

  private static double policyStatusWrites(PrometheusMeterRegistry registry) {
    var c =
        registry
            .find("flinkspot_reconciles")
            .tags("kind", "POLICY", "result", "STATUS_WRITTEN")
            .counter();
    return c == null ? 0 : c.count();
  }

  private static int failed(InterruptionCounts c) {
    return c == null ? 0 : c.checkpointsFailed();
  }

  private static FlinkSpotPolicy policy() {
    return KUBE.client().resources(FlinkSpotPolicy.class).inNamespace(NS).withName(POLICY).get();
  }

  private static InterruptionCounts policyCounts() {
    var s = policy().getStatus();
    return s == null ? null : s.getInterruptions();
  }

  private static FlinkCostReport report() {
    return KUBE.client().resources(FlinkCostReport.class).inNamespace(NS).withName("ticker").get();
  }

  private static InterruptionCounts reportCounts() {
    var r = report();
    return r == null || r.getStatus() == null ? null : r.getStatus().interruptions();
  }

  private static void pod(String name, String component, String node) {
    KUBE.client()
        .pods()
        .inNamespace(NS)
        .resource(
            TestPods.flink(NS, name, "ticker", component, FlinkPods.NATIVE, node, "500m", "512Mi"))
        .create();
  }

  private static void markReady(KubernetesClient admin, String pod) {
    TestPods.markReady(admin, NS, pod);
  }

  private static void editNode(KubernetesClient admin, String name, UnaryOperator<Node> edit) {
    TestNodes.edit(admin, name, edit);
  }

  private static Node taint(Node n, String key, String value) {
    return TestNodes.taint(n, key, value);
  }

  /** The controller with cost reports, as its ServiceAccount, JobManagers at {@code jm}. */
  private record Controller(KubernetesClient client, ControllerRuntime runtime)
      implements AutoCloseable {
    static Controller start(JobManagerRestStub jm, PrometheusMeterRegistry registry)
        throws Exception {
      var settings =
          new CostReportSettings(
              CatalogLoader.builtIn(),
              CostOptions.defaults(),
              "us-east-1",
              new ReportWritePolicy(Duration.ofMinutes(10), Duration.ofSeconds(1)));
      var client =
          new KubernetesClientBuilder()
              .withConfig(
                  ControllerServiceAccount.impersonating(KUBE.client().getConfiguration()).build())
              .build();
      var runtime =
          new ControllerRuntime(
              client,
              TestControllerConfig.of(false, false).namespaces(List.of(NS)).build(),
              registry,
              Clock.systemUTC(),
              Loops.standard(
                  settings, SpotNoticeSettings.production().at((ns, name, port) -> jm.uri())));
      runtime.start();
      return new Controller(client, runtime);
    }

    boolean idle() {
      return runtime.idle();
    }

    @Override
    public void close() {
      runtime.close();
      client.close();
    }
  }
}
