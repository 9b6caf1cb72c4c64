package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.flink.JobManagerAddress;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.flink.JobManagerRestStub;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.testing.kube.TestNodes;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spot notices on a real kube-apiserver: the controller runs in-process as its ServiceAccount with
 * the shipped RBAC; Nodes are tainted as aws-node-termination-handler taints them ({@code
 * aws-node-termination-handler/spot-itn}, NTH {@code pkg/node/node.go}), as Karpenter v1 does
 * ({@code karpenter.sh/disrupted}, kubernetes-sigs/karpenter {@code pkg/apis/v1/taints.go}), or
 * cordoned as EKS managed node groups' Capacity Rebalancing does. Checkpoint triggers are counted
 * at the REST endpoint each deployment's JobManager address resolves to.
 */
class SpotNoticeIT {

  private static final String NS = "flink-spot";
  private static final String NTH_TAINT = "aws-node-termination-handler/spot-itn";

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithPolicies);

  /** One JobManager REST endpoint per deployment. */
  private static final Map<String, JobManagerRestStub> JOB_MANAGERS = new HashMap<>();

  @AfterAll
  static void stopJobManagers() {
    JOB_MANAGERS.values().forEach(JobManagerRestStub::close);
  }

  @Test
  void eachNoticeSignalTriggersExactlyOneCheckpointPerGovernedDeployment() throws Exception {
    KubernetesClient admin = KUBE.client();
    ControllerServiceAccount.applyShippedRbac(KUBE);
    TestNamespaces.create(admin, NS);
    TestNodes.createReady(
        admin,
        TestNodes.spot("spot-nth", "m5.xlarge", "us-east-1a"),
        TestNodes.spot("spot-karpenter", "m5.xlarge", "us-east-1b"),
        TestNodes.spot("spot-cordoned", "m5.xlarge", "us-east-1c"),
        TestNodes.spot("spot-quiet", "m5.xlarge", "us-east-1a"),
        TestNodes.spot("spot-ungoverned", "m5.xlarge", "us-east-1b"),
        TestNodes.spot("spot-rebalance", "m5.xlarge", "us-east-1c"),
        TestNodes.onDemand("od-jm", "m5.large", "us-east-1a"));
    var scenarios = new PlacementScenarios(admin, NS);
    scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
    // The same placement; here NTH's rebalance recommendation counts as a notice.
    scenarios.createPolicy(
        "rebalance-counts",
        PolicyFixtures.SPOT_TASKMANAGERS + "interruptions: {rebalanceRecommendation: true}\n");
    for (String name :
        List.of("nth", "karpenter", "cordoned", "quiet", "ungoverned", "rebalance")) {
      scenarios.createDeployment(name, "", true);
      JOB_MANAGERS.put(name, new JobManagerRestStub(JobManagerRestStub.Mode.COMPLETES));
    }
    // Its JobManager REST port cannot be reached (as behind a NetworkPolicy): an Event, no crash.
    scenarios.createDeployment("walled", "", true);
    relabel(admin, "rebalance", "rebalance-counts");
    // Opted out of the namespace's policy: no flinkspot handling at all.
    relabel(admin, "ungoverned", "");
    // Two TaskManagers of "nth" on the node: still one checkpoint.
    taskManager("nth", "nth-tm-1", "spot-nth");
    taskManager("nth", "nth-tm-2", "spot-nth");
    taskManager("karpenter", "karpenter-tm-1", "spot-karpenter");
    taskManager("walled", "walled-tm-1", "spot-karpenter");
    taskManager("cordoned", "cordoned-tm-1", "spot-cordoned");
    taskManager("quiet", "quiet-tm-1", "spot-quiet");
    // A rebalance recommendation: a notice for "rebalance" only, not for "quiet" (default policy).
    taskManager("rebalance", "rebalance-tm-1", "spot-rebalance");
    taskManager("quiet", "quiet-tm-2", "spot-rebalance");
    taskManager("ungoverned", "ungoverned-tm-1", "spot-ungoverned");
    // Every JobManager on the On-Demand node, which is tainted too: JobManagers alone are no cause.
    for (String name : JOB_MANAGERS.keySet()) {
      pod(name, name + "-jm", FlinkPods.JOB_MANAGER, "od-jm");
    }

    JobManagerAddress address =
        (namespace, deployment, port) -> {
          assertThat(port).isEqualTo(8081);
          var jm = JOB_MANAGERS.get(deployment);
          return jm == null ? URI.create("http://127.0.0.1:1") : jm.uri();
        };
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var asServiceAccount = ControllerServiceAccount.impersonating(admin.getConfiguration()).build();
    try (KubernetesClient controllerClient =
            new KubernetesClientBuilder().withConfig(asServiceAccount).build();
        var runtime = controller(controllerClient, registry, address)) {
      await().atMost(Duration.ofSeconds(30)).until(runtime::idle);
      Map<String, Long> generations = generations(admin);

      // The notices, as each source shows them.
      editNode(admin, "spot-nth", n -> taint(n, NTH_TAINT, "spot-itn-0001"));
      editNode(admin, "spot-karpenter", n -> taint(n, "karpenter.sh/disrupted", null));
      editNode(
          admin,
          "spot-cordoned",
          n -> {
            n.getSpec().setUnschedulable(true);
            return n;
          });
      editNode(admin, "od-jm", n -> taint(n, NTH_TAINT, "spot-itn-0002"));
      editNode(admin, "spot-ungoverned", n -> taint(n, NTH_TAINT, "spot-itn-0003"));
      editNode(
          admin,
          "spot-rebalance",
          n -> taint(n, "aws-node-termination-handler/rebalance-recommendation", "rr-0001"));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  triggers("nth") == 1
                      && triggers("rebalance") == 1
                      && triggers("karpenter") == 1
                      && triggers("cordoned") == 1
                      && completedEvents(admin) == 4
                      && events(admin, "walled").size() == 2);

      // The taint flaps, a second signal arrives, the node is cordoned too: no second checkpoint.
      for (int i = 0; i < 3; i++) {
        editNode(admin, "spot-nth", n -> untaint(n, NTH_TAINT));
        editNode(admin, "spot-nth", n -> taint(n, NTH_TAINT, "spot-itn-0001"));
      }
      editNode(admin, "spot-nth", n -> taint(n, "karpenter.sh/disrupted", null));
      editNode(
          admin,
          "spot-nth",
          n -> {
            n.getSpec().setUnschedulable(true);
            return n;
          });
      Thread.sleep(2_000);
      await().atMost(Duration.ofSeconds(30)).until(runtime::idle);

      assertThat(triggers("nth")).isEqualTo(1);
      assertThat(triggers("karpenter")).isEqualTo(1);
      assertThat(triggers("cordoned")).isEqualTo(1);
      assertThat(triggers("rebalance")).isEqualTo(1);
      assertThat(triggers("quiet")).as("untainted node, rebalance not counted").isZero();
      assertThat(triggers("ungoverned")).as("ungoverned deployment").isZero();
      assertThat(events(admin, "quiet")).isEmpty();
      assertThat(events(admin, "ungoverned")).isEmpty();

      assertThat(events(admin, "nth"))
          .filteredOn(e -> e.getReason().equals("SpotNotice"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage())
                    .contains("spot-nth", "nth-spot-interruption", "nth-tm-1, nth-tm-2");
              });
      assertThat(events(admin, "karpenter"))
          .extracting(Event::getMessage)
          .anySatisfy(m -> assertThat(m).contains("karpenter-disrupted"));
      assertThat(events(admin, "cordoned"))
          .extracting(Event::getMessage)
          .anySatisfy(m -> assertThat(m).contains("cordoned-spot-node", "(cordoned)"));
      assertThat(events(admin, "nth"))
          .filteredOn(e -> e.getReason().equals("CheckpointOnNotice"))
          .singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("checkpoint 41 completed"));

      assertThat(events(admin, "walled"))
          .filteredOn(e -> e.getReason().equals("CheckpointOnNoticeFailed"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("unreachable", "NetworkPolicy", "port 1");
              });
      assertThat(runtime.live()).isTrue();

      assertThat(generations(admin)).as("no FlinkDeployment spec write").isEqualTo(generations);
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("flinkspot_spot_notices_total{signal=\"nth-spot-interruption\"} 1.0")
          .contains("flinkspot_spot_notices_total{signal=\"karpenter-disrupted\"} 2.0")
          .contains("flinkspot_spot_notices_total{signal=\"cordoned-spot-node\"} 1.0")
          .contains("flinkspot_spot_notices_total{signal=\"nth-rebalance-recommendation\"} 1.0")
          .contains("flinkspot_checkpoint_on_notice_seconds_count{outcome=\"completed\"} 4")
          .contains("flinkspot_checkpoint_on_notice_seconds_count{outcome=\"unreachable\"} 1");
    }

    // A restart (or a new leader) while the nodes still show their notices: no second checkpoint,
    // no second Event; the earlier leader's SpotNotice Events say what was done.
    try (KubernetesClient controllerClient =
            new KubernetesClientBuilder().withConfig(asServiceAccount).build();
        var restarted =
            controller(
                controllerClient, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), address)) {
      await().atMost(Duration.ofSeconds(30)).until(restarted::idle);
      Thread.sleep(2_000);
      await().atMost(Duration.ofSeconds(30)).until(restarted::idle);
      for (String name : List.of("nth", "karpenter", "cordoned")) {
        assertThat(triggers(name)).as(name + " after a restart").isEqualTo(1);
        assertThat(events(admin, name))
            .filteredOn(e -> e.getReason().equals("SpotNotice"))
            .hasSize(1);
      }
    }
  }

  private static ControllerRuntime controller(
      KubernetesClient client, MeterRegistry registry, JobManagerAddress address) throws Exception {
    return new ControllerRuntime(
            client,
            TestControllerConfig.of(false, false).build(),
            registry,
            Clock.systemUTC(),
            Loops.standard(null, SpotNoticeSettings.production().at(address)))
        .start();
  }

  private static void relabel(KubernetesClient admin, String deployment, String policy) {
    admin
        .genericKubernetesResources(FlinkDeployments.CONTEXT)
        .inNamespace(NS)
        .withName(deployment)
        .edit(
            d -> {
              d.getMetadata().getLabels().put("flinkspot.dev/policy", policy);
              return d;
            });
  }

  private static int triggers(String deployment) {
    return JOB_MANAGERS.get(deployment).triggers();
  }

  private static void taskManager(String app, String name, String node) {
    pod(app, name, FlinkPods.TASK_MANAGER, node);
  }

  private static void pod(String app, String name, String component, String node) {
    KUBE.client()
        .pods()
        .inNamespace(NS)
        .resource(TestPods.flink(NS, name, app, component, FlinkPods.NATIVE, node, "500m", "512Mi"))
        .create();
  }

  private static void editNode(KubernetesClient admin, String name, UnaryOperator<Node> edit) {
    TestNodes.edit(admin, name, edit);
  }

  private static Node taint(Node n, String key, String value) {
    return TestNodes.taint(n, key, value);
  }

  private static Node untaint(Node n, String key) {
    return TestNodes.untaint(n, key);
  }

  private static List<Event> events(KubernetesClient admin, String deployment) {
    return admin.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> deployment.equals(e.getInvolvedObject().getName()))
        .filter(
            e -> e.getReason().startsWith("SpotNotice") || e.getReason().startsWith("Checkpoint"))
        .toList();
  }

  private static long completedEvents(KubernetesClient admin) {
    return admin.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "CheckpointOnNotice".equals(e.getReason()))
        .count();
  }

  private static Map<String, Long> generations(KubernetesClient admin) {
    Map<String, Long> out = new HashMap<>();
    FlinkDeployments.in(admin)
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(d -> out.put(d.getMetadata().getName(), d.getMetadata().getGeneration()));
    return out;
  }
}
