package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.cli.ControllerCommand;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mock-server scenarios ({@link PlacementScenarios}) on a real kube-apiserver + etcd with the
 * Flink operator's CRDs and our FlinkSpotPolicy CRD from k8s/base, plus what only a real API server
 * checks: the CRD's schema and CEL rules, and its defaults.
 */
class PlacementScenariosIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithPolicies);

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private KubernetesClient client;
  private PlacementScenarios scenarios;

  @BeforeEach
  void namespace() {
    client = KUBE.client();
    String ns = "flink-" + NAMESPACES.incrementAndGet();
    TestNamespaces.create(client, ns);
    scenarios = new PlacementScenarios(client, ns);
  }

  @Test
  void newDeploymentIsPlacedOnceThenLeftAlone() {
    scenarios.newDeploymentIsPlacedOnceThenLeftAlone();
  }

  @Test
  void existingDeploymentIsNotRepairedWithoutPermission() {
    scenarios.existingDeploymentIsNotRepairedWithoutPermission();
  }

  @Test
  void existingDeploymentIsRepairedInOneWriteWhenAllowed() {
    scenarios.existingDeploymentIsRepairedInOneWriteWhenAllowed();
  }

  @Test
  void missingPolicyLeavesTheDeploymentAlone() {
    scenarios.missingPolicyLeavesTheDeploymentAlone();
  }

  @Test
  void conflictingUserPlacementIsLeftAsWritten() {
    scenarios.conflictingUserPlacementIsLeftAsWritten();
  }

  @Test
  void invalidPolicyIsMarkedAndItsDeploymentsKeepTheirPlacement() {
    scenarios.invalidPolicyIsMarkedAndItsDeploymentsKeepTheirPlacement();
  }

  @Test
  void policyStatusListsGovernedDeploymentsAndIsWrittenOnlyOnChange() {
    scenarios.policyStatusListsGovernedDeploymentsAndIsWrittenOnlyOnChange();
  }

  /** What runs while our webhook is registered with the API server. */
  interface WithWebhook {
    void run() throws Exception;
  }

  /**
   * Serves {@code policies} through the webhook over TLS, registers it for this test's namespace
   * (failurePolicy Fail), runs {@code body}, and unregisters it. The registration takes effect
   * asynchronously: {@code body} retries until the API server calls the webhook.
   */
  private void withWebhook(dev.flinkspot.policy.StaticPolicyLookup policies, WithWebhook body)
      throws Exception {
    String ns = scenarios.namespace();
    try (var webhook = InProcessWebhook.start(client, "flinkspot-it-" + ns, policies, "Fail", ns)) {
      body.run();
    }
  }

  @Test
  void apiServerCallsTheWebhookAndStoresThePlacedDeployment() throws Exception {
    String ns = scenarios.namespace();
    var policies =
        new dev.flinkspot.policy.StaticPolicyLookup()
            .put(ns, "spot-taskmanagers", PolicyFixtures.spec(PolicyFixtures.SPOT_TASKMANAGERS));
    withWebhook(
        policies,
        () ->
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(
                    () -> {
                      String d = "admitted-" + System.nanoTime();
                      scenarios.createDeployment(d, "", false);
                      // Already placed at admission: the reconciler has nothing to write.
                      scenarios.assertPlacedAndAFixedPoint(d);
                    }));
  }

  @Test
  void newScaledDeploymentIsPlacedAndDefaultedOnceThenLeftAlone() {
    scenarios.newScaledDeploymentIsPlacedAndDefaultedOnceThenLeftAlone();
  }

  @Test
  void deployedNativeDeploymentGetsPlacementButNoModeChange() {
    scenarios.deployedNativeDeploymentGetsPlacementButNoModeChange();
  }

  /** A FlinkDeployment manifest for kubectl, in this test's namespace, under {@code policy}. */
  private java.nio.file.Path manifest(String name, String policy, String specYaml)
      throws IOException {
    var d = PolicyFixtures.deployment(specYaml);
    ((com.fasterxml.jackson.databind.node.ObjectNode) d.get("metadata"))
        .put("name", name)
        .put("namespace", scenarios.namespace())
        .putObject("labels")
        .put(FlinkSpotPolicy.POLICY_LABEL, policy);
    var file = Files.createTempFile(name, ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, d.toString());
    return file;
  }

  /**
   * Through the real API server and kubectl: a scaled deployment is stored placed and defaulted (so
   * the defaulted object passes the Flink CRD schema), kubectl prints our warnings, and the
   * reconciler then writes nothing; under enforceCheckpointing a deployment without checkpointing
   * is refused with our message, by kubectl and by Fabric8 alike (HTTP 422).
   */
  @Test
  void apiServerStoresTheReactiveDefaultsPassesOurWarningsAndDeniesWhenEnforced() throws Exception {
    String ns = scenarios.namespace();
    var policies =
        new dev.flinkspot.policy.StaticPolicyLookup()
            .put(ns, "scaled", PolicyFixtures.spec(PlacementScenarios.SCALING))
            .put(
                ns,
                "enforced",
                PolicyFixtures.spec(
                    PolicyFixtures.SPOT_TASKMANAGERS
                        + "scaling: {maxTaskManagers: 8, enforceCheckpointing: true}\n"));
    String checkpointWarning =
        "Warning: flinkspot: spec.flinkConfiguration.execution.checkpointing.interval: ";
    withWebhook(
        policies,
        () -> {
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(30))
              .untilAsserted(
                  () -> {
                    String d = "scaled-" + System.nanoTime();
                    var created =
                        KUBE.kubectl(
                            "create",
                            "-f",
                            manifest(d, "scaled", PlacementScenarios.JOB).toString());
                    assertThat(created.ok()).as(created.describe()).isTrue();
                    assertThat(created.stderr()).contains(checkpointWarning);
                    var stored = scenarios.json(d);
                    assertThat(stored.at("/spec/mode").asText()).isEqualTo("standalone");
                    assertThat(stored.at("/spec/flinkConfiguration/scheduler-mode").asText())
                        .isEqualTo("REACTIVE");
                    assertThat(
                            stored.at(
                                "/spec/flinkConfiguration/jobmanager.adaptive-scheduler.resource-stabilization-timeout"))
                        .hasToString("\"1 s\"");
                    assertThat(
                            stored.at(
                                "/spec/flinkConfiguration/restart-strategy.exponential-delay.initial-backoff"))
                        .hasToString("\"10 s\"");
                    scenarios.assertPlacedAndAFixedPoint(d);
                  });

          var refused =
              KUBE.kubectl(
                  "create",
                  "-f",
                  manifest("unsafe", "enforced", PlacementScenarios.JOB).toString());
          assertThat(refused.ok()).as(refused.describe()).isFalse();
          assertThat(refused.stderr())
              .contains("denied the request: flinkspot: spec.flinkConfiguration.")
              .contains("execution.checkpointing.interval")
              .contains("the policy enforces checkpointing");
          assertThat(scenarios.get("unsafe")).isNull();

          var viaFabric8 = PolicyFixtures.deployment(PlacementScenarios.JOB);
          ((com.fasterxml.jackson.databind.node.ObjectNode) viaFabric8.get("metadata"))
              .put("name", "unsafe")
              .put("namespace", ns)
              .putObject("labels")
              .put(FlinkSpotPolicy.POLICY_LABEL, "enforced");
          assertThatThrownBy(
                  () ->
                      FlinkDeployments.in(client)
                          .inNamespace(ns)
                          .resource(
                              client
                                  .getKubernetesSerialization()
                                  .convertValue(
                                      viaFabric8,
                                      io.fabric8.kubernetes.api.model.GenericKubernetesResource
                                          .class))
                          .create())
              .isInstanceOfSatisfying(
                  KubernetesClientException.class,
                  e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage())
                        .contains("execution.checkpointing.interval");
                  });

          var safe =
              KUBE.kubectl(
                  "create",
                  "-f",
                  manifest(
                          "safe",
                          "enforced",
                          PlacementScenarios.JOB
                              + "flinkConfiguration: {execution.checkpointing.interval: 30s}\n")
                      .toString());
          assertThat(safe.ok()).as(safe.describe()).isTrue();
          assertThat(safe.stderr()).doesNotContain(checkpointWarning);
        });
  }

  @Test
  void controllerRunsWithTheShippedRbacAndNothingMore() throws Exception {
    ControllerServiceAccount.applyShippedRbac(KUBE, "webhook.yaml");
    var asServiceAccount =
        ControllerServiceAccount.impersonating(client.getConfiguration()).build();
    String ns = scenarios.namespace();
    try (KubernetesClient controllerClient =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(asServiceAccount)
            .build()) {
      // RBAC is enforced: the ServiceAccount may read pods (cost reports) but not Secrets
      // other than its own webhook Secret.
      assertThatThrownBy(() -> controllerClient.secrets().inNamespace(ns).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      ControllerCommand.preflight(controllerClient);

      scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
      scenarios.createDeployment("governed", "", false);
      var lost = new java.util.concurrent.atomic.AtomicBoolean();
      try (var runtime =
          new ControllerRuntime(
                  controllerClient,
                  TestControllerConfig.of(true, true).build(),
                  new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                  java.time.Clock.systemUTC(),
                  Loops.standard(null))
              .onLostLeadership(() -> lost.set(true))
              .start()) {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(
                          dev.flinkspot.common.Json.at(
                              scenarios.json("governed"),
                              "spec",
                              "taskManager",
                              "podTemplate",
                              "spec",
                              "topologySpreadConstraints"))
                      .hasSize(2);
                  var policy =
                      client
                          .resources(FlinkSpotPolicy.class)
                          .inNamespace(ns)
                          .withName("spot-taskmanagers")
                          .get();
                  // The policy status loop runs beside placement: either may finish first.
                  assertThat(policy.getStatus()).isNotNull();
                  assertThat(policy.getStatus().getGovernedDeployments())
                      .containsExactly("governed");
                  assertThat(scenarios.reasonsFor("governed")).contains("Placed");
                });
        assertThat(runtime.ready()).isTrue();
        assertThat(
                client
                    .leases()
                    .inNamespace("flinkspot-system")
                    .withName("flinkspot-controller")
                    .get()
                    .getSpec()
                    .getHolderIdentity())
            .isEqualTo("test-replica");
        // The leader keeps its Lease with only the shipped RBAC: renewals (every 2 s) succeed.
        var firstRenewal = lease(client).getSpec().getRenewTime();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .untilAsserted(
                () -> assertThat(lease(client).getSpec().getRenewTime()).isAfter(firstRenewal));
        assertThat(lost).as("leadership lost").isFalse();
        var webhookConfig =
            client
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("flinkspot")
                .get();
        assertThat(webhookConfig.getWebhooks().get(0).getClientConfig().getCaBundle()).isNotBlank();
      }
    } finally {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName("flinkspot")
          .delete();
    }
  }

  @Test
  void apiServerFillsTheSchemaDefaults() {
    var created = scenarios.createPolicy("defaults", "{}");

    var spec = created.getSpec();
    assertThat(spec.capacityLabels().scheme().name()).isEqualTo("EksManagedNodeGroup");
    assertThat(spec.taskManager().spot().name()).isEqualTo("Required");
    assertThat(spec.taskManager().spread().topologyKeys())
        .containsExactly("topology.kubernetes.io/zone", "node.kubernetes.io/instance-type");
    assertThat(spec.jobManager().doNotDisrupt()).isTrue();
    assertThat(spec.repairExisting()).isFalse();
    assertThat(spec.scaling()).as("no scaling section, no scaling").isNull();
  }

  @Test
  void apiServerFillsTheScalingDefaultsAndTheyAreTheCodes() {
    var created = scenarios.createPolicy("scaling-defaults", "{scaling: {maxTaskManagers: 8}}");

    var scaling = created.getSpec().scaling();
    assertThat(scaling.minTaskManagers()).isEqualTo(1);
    assertThat(scaling.targetCpuUtilizationPercent()).isEqualTo(65);
    assertThat(dev.flinkspot.scaling.ScalingPolicy.from(scaling))
        .isEqualTo(
            dev.flinkspot.scaling.ScalingPolicy.from(
                new dev.flinkspot.scaling.ScalingSpec(
                    null, null, 8, null, null, null, null, null)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "capacityLabels: {scheme: Spotty} | Unsupported value",
        "capacityLabels: {scheme: Custom} | scheme Custom needs key",
        "capacityLabels: {scheme: Karpenter, key: k} | the other schemes fix them",
        "capacityLabels: {scheme: Custom, key: k, onDemandValues: [a], spotValues: [a]} | cannot be both On-Demand and Spot",
        "taskManager: {tolerations: [{value: x, effect: NoSchedule}]} | a toleration without a key must have operator Exists",
        "jobManager: {tolerations: [{key: k, operator: Exists, value: v}]} | must not have a value",
        "taskManager: {spread: {maxSkew: 0}} | should be greater than or equal to 1",
        "scaling: {minTaskManagers: 5, maxTaskManagers: 2} | minTaskManagers must not exceed",
        "scaling: {minTaskManagers: 2} | maxTaskManagers is required when scaling is enabled",
        "scaling: {maxTaskManagers: 4, targetCpuUtilizationPercent: 0} | should be greater than or equal to 1",
        "scaling: {maxTaskManagers: 4, metrics: [{type: Cpu}]} | Unsupported value",
      })
  void apiServerRejectsAnInvalidPolicy(String specYaml, String message) {
    // Raw, not the typed model: the model could not even hold an unknown scheme.
    var raw = PolicyFixtures.json("spec: {" + specYaml + "}");
    raw.put("apiVersion", FlinkSpotPolicy.GROUP + "/" + FlinkSpotPolicy.VERSION)
        .put("kind", "FlinkSpotPolicy");
    raw.putObject("metadata").put("name", "bad").put("namespace", scenarios.namespace());
    var policy =
        client
            .getKubernetesSerialization()
            .convertValue(raw, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);

    assertThatThrownBy(
            () ->
                client
                    .genericKubernetesResources(
                        FlinkSpotPolicy.GROUP + "/" + FlinkSpotPolicy.VERSION, "FlinkSpotPolicy")
                    .resource(policy)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(message);
  }

  private static io.fabric8.kubernetes.api.model.coordination.v1.Lease lease(
      KubernetesClient client) {
    return client.leases().inNamespace("flinkspot-system").withName("flinkspot-controller").get();
  }
}
