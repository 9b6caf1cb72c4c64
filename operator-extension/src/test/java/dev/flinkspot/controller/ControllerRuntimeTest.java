package dev.flinkspot.controller;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flinkspot.cli.ControllerCommand;
import dev.flinkspot.common.Json;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.testing.kube.TestControllerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole controller (informers, queue, Lease, webhook TLS Secret) on the mock API server. */
@EnableKubernetesMockClient(crud = true)
class ControllerRuntimeTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void electedControllerPlacesDeploymentsAndReportsThePolicy() throws Exception {
    var scenarios = new PlacementScenarios(client);
    scenarios.createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    scenarios.createDeployment("one", "", false);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    try (var runtime =
        new ControllerRuntime(
                client,
                TestControllerConfig.of(true, true).build(),
                registry,
                Clock.systemUTC(),
                Loops.standard(null))
            .start()) {
      scenarios.createDeployment("two", "", false);

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (String name : List.of("one", "two")) {
                  assertThat(
                          Json.at(
                              scenarios.json(name),
                              "spec",
                              "taskManager",
                              "podTemplate",
                              "spec",
                              "topologySpreadConstraints"))
                      .hasSize(2);
                }
                var policy =
                    client
                        .resources(FlinkSpotPolicy.class)
                        .inNamespace("flink")
                        .withName("spot-taskmanagers")
                        .get();
                assertThat(policy.getStatus()).isNotNull();
                assertThat(policy.getStatus().getGovernedDeployments())
                    .containsExactly("one", "two");
              });
      assertThat(runtime.ready()).isTrue();
      assertThat(runtime.webhookPort()).isPositive();
      assertThat(
              client
                  .leases()
                  .inNamespace("flinkspot-system")
                  .withName("flinkspot-controller")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("test-replica");
      assertThat(
              client
                  .secrets()
                  .inNamespace("flinkspot-system")
                  .withName("flinkspot-webhook-tls")
                  .get()
                  .getData())
          .containsKeys("ca.crt", "tls.crt", "tls.key");
      // The policy status loop runs on its own queue, so its status can land before the
      // placement loop has counted its reconciles.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(registry.scrape())
                      .contains("flinkspot_reconciles_total")
                      .contains("flinkspot_leader 1.0"));
    }
  }

  @Test
  void preflightNamesWhatIsMissing() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControllerCommand.preflight(client))
        .isInstanceOf(dev.flinkspot.common.UserInputException.class)
        .hasMessageContaining("FlinkDeployments")
        .hasMessageContaining("install the Apache Flink Kubernetes Operator");
  }
}
