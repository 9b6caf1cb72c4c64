package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flinkspot.controller.PlacementScenarios;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerProcess;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 item 7 on a real kube-apiserver: the packaged controller, run from a laptop as the
 * README says, logs a banner, one INFO line per write with its reason, one line per API-server
 * state change without a stack trace, and a shutdown line; it stays quiet about what needs no
 * action (fabric8's "unstable version" warning, "leads" without an election). Its ports listen on
 * loopback only.
 */
class ControllerLogIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithFlinkspots);

  private static final String NS = PlacementScenarios.NS;

  @Test
  void aLaptopRunLogsItsBannerEachWriteAndItsShutdownAndNothingElse() throws Exception {
    KubernetesClient client = KUBE.client();
    TestNamespaces.apply(KUBE.client(), NS, "flinkspot-system");
    var scenarios = new PlacementScenarios(client, NS);
    scenarios.createPolicy("spot-taskmanagers", PlacementScenarios.SCALING);
    scenarios.createDeployment("ticker", PlacementScenarios.JOB, false);

    int health = ControllerProcess.freePort();
    try (var controller =
        controller("--no-webhook", "--no-leader-election", "--health-port=" + health)) {
      // Each decision that writes: placement and defaults, the HPA, the cost report.
      awaitLog(
          controller,
          90,
          out ->
              out.contains(
                      "patched FlinkDeployment flink/ticker: placement and Reactive Mode"
                          + " defaults (",
                      "of FlinkSpotPolicy spot-taskmanagers written (not yet deployed by the"
                          + " Flink operator)",
                      "created HorizontalPodAutoscaler flink/ticker: HorizontalPodAutoscaler"
                          + " ticker created for FlinkSpotPolicy spot-taskmanagers: 1-8"
                          + " TaskManagers",
                      "created FlinkCostReport flink/ticker: cost report of FlinkDeployment"
                          + " flink/ticker")
                  .containsOnlyOnce("patched FlinkDeployment flink/ticker"));
      String banner = controller.output();
      assertThat(banner)
          .as(controller.log())
          .containsPattern("flinkspot \\S+ \\(commit \\S+\\) controller starting as \\S+")
          .contains("API server " + client.getMasterUrl())
          .contains("(Kubernetes v1.", "watching all namespaces")
          .contains("listening on 127.0.0.1 (this host only")
          .contains("/healthz and /readyz on port " + health)
          .contains("webhook: off (--no-webhook)")
          .contains("leader election: off (--no-leader-election)")
          .containsPattern("prices as of \\d{4}-\\d\\d-\\d\\d")
          .contains("log level INFO (FLINKSPOT_LOG_LEVEL)");
      HttpURLConnection healthz =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + health + "/healthz").toURL().openConnection();
      assertThat(healthz.getResponseCode()).isEqualTo(200);

      // Scaling turned off: the HPA goes, in one line with the reason.
      FlinkSpotPolicy policy =
          client
              .resources(FlinkSpotPolicy.class)
              .inNamespace(NS)
              .withName("spot-taskmanagers")
              .get();
      policy.setSpec(PolicyFixtures.spec(PolicyFixtures.SPOT_TASKMANAGERS));
      client.resource(policy).update();
      awaitLog(
          controller, 60, out -> out.contains("deleted HorizontalPodAutoscaler flink/ticker:"));

      // `flinkspot report` against the same cluster: the report, no warning on stderr.
      var report =
          ControllerProcess.start(
              KUBE.controlPlane().kubeconfig(), List.of("report", "-n", NS), Map.of());
      await().atMost(Duration.ofSeconds(60)).until(() -> !report.isAlive());
      assertThat(report.stop()).as(report.log()).isZero();
      assertThat(report.output()).contains("ticker").doesNotContain("WARN", "unstable");
      report.close();

      // An outage of the API server: one line when it goes, one when it is back.
      int before = controller.output().length();
      Runnable restart = KUBE.controlPlane().stopApiServerForAWhile();
      try {
        Thread.sleep(20_000);
      } finally {
        restart.run();
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(controller.output().substring(before))
                      .as(controller.log())
                      .contains("API server reachable again"));
      String outage = controller.output().substring(before);
      assertThat(outage)
          .as(controller.log())
          .containsOnlyOnce("API server unreachable")
          .containsOnlyOnce("API server reachable again");

      assertThat(controller.stop()).as(controller.log()).isIn(0, 143);
      String all = controller.output();
      System.out.println(controller.log());
      assertThat(all)
          .as(controller.log())
          .contains("shutting down (signal received)")
          .containsPattern("stopped cleanly in \\d+ ms")
          .doesNotContain("leads: reconciling")
          .doesNotContain("unstable version")
          .doesNotContain("\tat ")
          .doesNotContainPattern("(?m)^\\S+Exception");
      assertThat(lines(all, " WARN ")).as(controller.log()).hasSizeLessThanOrEqualTo(2);
    }
  }

  /** With an election, the lead is logged (so that its absence above means something). */
  @Test
  void withLeaderElectionTheLeadAndTheLeaseReleaseAreLogged() throws Exception {
    TestNamespaces.apply(KUBE.client(), "elected", "flinkspot-system");
    try (var controller =
        controller(
            "--no-webhook",
            "--namespaces=elected",
            "--identity=replica-a",
            "--health-port=" + ControllerProcess.freePort())) {
      awaitLog(
          controller,
          90,
          out ->
              out.contains("leader election: on, Lease flinkspot-system/flinkspot-controller")
                  .contains("watching namespaces elected")
                  .contains("replica-a leads: reconciling"));
      controller.stop();
      assertThat(controller.output())
          .as(controller.log())
          .contains("replica-a released the Lease")
          .containsPattern("stopped cleanly in \\d+ ms");
    }
  }

  /** Waits up to {@code seconds} until the controller's output passes {@code check}. */
  private static void awaitLog(
      ControllerProcess controller,
      int seconds,
      java.util.function.Consumer<org.assertj.core.api.AbstractStringAssert<?>> check) {
    await()
        .atMost(Duration.ofSeconds(seconds))
        .untilAsserted(() -> check.accept(assertThat(controller.output()).as(controller.log())));
  }

  /** {@code flinkspot controller <options>} against this API server, metrics on a free port. */
  private static ControllerProcess controller(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("controller"));
    args.addAll(List.of(options));
    args.add("--metrics-port=" + ControllerProcess.freePort());
    return ControllerProcess.start(KUBE.controlPlane().kubeconfig(), args, Map.of());
  }

  private static List<String> lines(String text, String containing) {
    List<String> found = new ArrayList<>();
    text.lines().filter(l -> l.contains(containing)).forEach(found::add);
    return found;
  }
}
