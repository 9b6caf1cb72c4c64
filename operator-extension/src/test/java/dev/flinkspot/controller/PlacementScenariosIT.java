package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.RepoRoot;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
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
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            FlinkCrds.install(kube.client());
            FlinkCrds.apply(kube.client(), policyCrd(kube.client()));
          });

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private KubernetesClient client;
  private PlacementScenarios scenarios;

  static CustomResourceDefinition policyCrd(KubernetesClient client) {
    try {
      String yaml =
          Files.readString(
              RepoRoot.find().resolve("k8s/base/flinkspotpolicies.flinkspot.dev.yaml"));
      return client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void namespace() {
    client = KUBE.client();
    String ns = "flink-" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
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

  @Test
  void apiServerCallsTheWebhookAndStoresThePlacedDeployment() throws Exception {
    String ns = scenarios.namespace();
    var policies =
        new dev.flinkspot.policy.StaticPolicyLookup()
            .put(ns, "spot-taskmanagers", PolicyFixtures.spec(PolicyFixtures.SPOT_TASKMANAGERS));
    var certificate =
        dev.flinkspot.webhook.WebhookCertificate.generate(
            "flinkspot-webhook", "flinkspot-system", java.time.Instant.now());
    String name = "flinkspot-it-" + ns;
    try (var server =
        dev.flinkspot.webhook.WebhookServer.start(
            "127.0.0.1",
            0,
            certificate,
            new dev.flinkspot.webhook.AdmissionHandler(policies),
            1,
            t -> {})) {
      var config =
          new io.fabric8.kubernetes.api.model.admissionregistration.v1
                  .MutatingWebhookConfigurationBuilder()
              .withNewMetadata()
              .withName(name)
              .endMetadata()
              .addNewWebhook()
              .withName("placement.flinkspot.dev")
              .withAdmissionReviewVersions("v1")
              .withSideEffects("None")
              .withFailurePolicy("Fail")
              .withTimeoutSeconds(5)
              .withNewClientConfig()
              .withUrl(
                  "https://127.0.0.1:" + server.port() + dev.flinkspot.webhook.WebhookServer.PATH)
              .withCaBundle(
                  java.util.Base64.getEncoder()
                      .encodeToString(
                          certificate.caPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
              .endClientConfig()
              .withNewNamespaceSelector()
              .addToMatchLabels("kubernetes.io/metadata.name", ns)
              .endNamespaceSelector()
              .addNewRule()
              .withApiGroups("flink.apache.org")
              .withApiVersions("v1beta1")
              .withOperations("CREATE", "UPDATE")
              .withResources("flinkdeployments")
              .endRule()
              .endWebhook()
              .build();
      client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(config).create();
      try {
        // The webhook configuration takes effect asynchronously: retry until the API server calls
        // it.
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  String d = "admitted-" + System.nanoTime();
                  scenarios.createDeployment(d, "", false);
                  var stored = scenarios.json(d);
                  assertThat(
                          dev.flinkspot.placement.Json.at(
                              stored,
                              "spec",
                              "taskManager",
                              "podTemplate",
                              "spec",
                              "topologySpreadConstraints"))
                      .hasSize(2);
                  // Already placed at admission: the reconciler has nothing to write.
                  String version = scenarios.get(d).getMetadata().getResourceVersion();
                  scenarios.controller().settle(ns);
                  assertThat(scenarios.get(d).getMetadata().getResourceVersion())
                      .isEqualTo(version);
                });
      } finally {
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).delete();
      }
    }
  }

  @Test
  void controllerRunsWithTheShippedRbacAndNothingMore() throws Exception {
    var root = RepoRoot.find();
    for (String file :
        java.util.List.of("namespace.yaml", "serviceaccount.yaml", "rbac.yaml", "webhook.yaml")) {
      var applied = KUBE.kubectl("apply", "-f", root.resolve("k8s/base").resolve(file).toString());
      assertThat(applied.ok()).as(applied.describe()).isTrue();
    }
    var asServiceAccount =
        new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
            .withImpersonateUsername("system:serviceaccount:flinkspot-system:flinkspot-controller")
            .withImpersonateGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:flinkspot-system",
                "system:authenticated")
            .build();
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
      try (var runtime =
          new ControllerRuntime(
                  controllerClient,
                  ControllerRuntimeTest.config(true, true),
                  new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                  java.time.Clock.systemUTC())
              .onLostLeadership(() -> {})
              .start()) {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(
                          dev.flinkspot.placement.Json.at(
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
}
