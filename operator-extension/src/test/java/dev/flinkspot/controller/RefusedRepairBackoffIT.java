package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 item 2 on a real kube-apiserver: a deployment admitted while the webhook was down, then
 * repaired under a policy that enforces checkpointing, so our webhook denies every repair (422).
 * The controller must back off (1 s doubling), not PATCH once a second forever; status updates by
 * "the Flink operator" must not defeat the backoff; the Event and the policy condition name the
 * deployment and the denial; a spec change ends the refusal at once.
 */
class RefusedRepairBackoffIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithPolicies);

  private static final String NS = "refused";
  private static final String ENFORCED =
      PolicyFixtures.SPOT_TASKMANAGERS
          + "repairExisting: true\n"
          + "scaling: {maxTaskManagers: 8, enforceCheckpointing: true}\n";

  /** The window over which PATCHes are counted once the first denial was seen. */
  private static final Duration WINDOW = Duration.ofSeconds(30);

  @Test
  void aRefusedRepairBacksOffAndIsNamedThenAChangeRetriesAtOnce() throws Exception {
    KubernetesClient client = KUBE.client();
    TestNamespaces.create(client, NS);
    var scenarios = new PlacementScenarios(client, NS);
    scenarios.createPolicy("enforced", ENFORCED);
    // Admitted while the webhook was down: no placement, no checkpointing.
    scenarios.createDeployment("unsafe", PlacementScenarios.JOB, false);
    label(client, "unsafe");
    var policies = new StaticPolicyLookup().put(NS, "enforced", PolicyFixtures.spec(ENFORCED));

    // The controller serves its webhook too (so it knows admission runs and leaves the denial to
    // it); the API server calls the in-process one, whose configuration names it.
    TestNamespaces.create(client, "flinkspot-system");
    try (var webhook = InProcessWebhook.start(client, "flinkspot-refused", policies, "Fail", NS)) {
      awaitWebhookDenies(client);
      try (var runtime =
          new ControllerRuntime(
                  client,
                  TestControllerConfig.of(false, true)
                      .webhookConfiguration("called-in-process-instead")
                      .build(),
                  new SimpleMeterRegistry(),
                  Clock.systemUTC(),
                  Loops.standard(null))
              .start()) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(scenarios.eventsFor("unsafe"))
                      .anySatisfy(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("RepairFailed");
                            assertThat(e.getMessage())
                                .contains("HTTP 422")
                                .contains("execution.checkpointing.interval")
                                .contains("retried with backoff");
                          });
                  assertThat(repairsAdmitted(client))
                      .isNotNull()
                      .satisfies(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getMessage())
                                .contains("unsafe: ")
                                .contains("denied the request")
                                .contains("the policy enforces checkpointing");
                          });
                });
        String version = scenarios.get("unsafe").getMetadata().getResourceVersion();

        double before = patches(client);
        long end = System.nanoTime() + WINDOW.toNanos();
        int statusUpdates = 0;
        while (System.nanoTime() < end) {
          // The Flink operator updates status often: no reason to try the refused write again.
          updateStatus(client, NS, "unsafe", statusUpdates++);
          Thread.sleep(1_000);
        }
        double inWindow = patches(client) - before;
        System.out.printf(
            "refused repair: %.0f PATCHes of flinkdeployments in %d s (%d status updates"
                + " meanwhile); a fixed 1 s retry makes about %d%n",
            inWindow, WINDOW.toSeconds(), statusUpdates, WINDOW.toSeconds());
        // Backoff 1, 2, 4, 8, 16 s...: at most 5 attempts fit in any 30 s after the first denial
        // (allow one more for scheduling); a fixed 1 s retry (or one per status update) is ~30.
        assertThat(inWindow).isBetween(1.0, 6.0);
        assertThat(scenarios.get("unsafe").getMetadata().getResourceVersion())
            .isNotEqualTo(version); // only our status updates
        assertThat(runtime.live()).isTrue();

        // The user fixes the deployment (a spec change): retried at once, not at the next backoff
        // (32 s away by now); the webhook places it, the refusal is forgotten.
        var fixed = scenarios.get("unsafe");
        @SuppressWarnings("unchecked")
        var spec = (Map<String, Object>) fixed.getAdditionalProperties().get("spec");
        spec.put("flinkConfiguration", Map.of("execution.checkpointing.interval", "30s"));
        FlinkDeployments.in(client).inNamespace(NS).resource(fixed).update();
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  assertThat(repairsAdmitted(client)).isNull();
                  assertThat(
                          scenarios
                              .json("unsafe")
                              .at("/spec/taskManager/podTemplate/spec/topologySpreadConstraints"))
                      .hasSize(2);
                });
      }
    }
  }

  /**
   * The other side of the rule: a JSON Patch whose resourceVersion test fails is a lost race
   * (CONFLICT, retried at once), though the API server answers it with a 422 too.
   */
  @Test
  void aStaleJsonPatchIsALostRaceNotARefusal() {
    KubernetesClient client = KUBE.client();
    TestNamespaces.create(client, "race");
    var scenarios = new PlacementScenarios(client, "race");
    var stale = scenarios.createDeployment("raced", "", false);
    updateStatus(client, "race", "raced", 0); // the object moves on
    var writer = new dev.flinkspot.kube.Writer(client);
    String patch =
        "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
            + stale.getMetadata().getResourceVersion()
            + "\"},{\"op\":\"add\",\"path\":\"/metadata/labels/x\",\"value\":\"y\"}]";
    assertThat(writer.jsonPatch(FlinkDeployments.CONTEXT, stale, patch, "a label"))
        .isEqualTo(dev.flinkspot.kube.Write.CONFLICT);
    assertThat(writer.rejection(stale)).isNull();
  }

  private static void label(KubernetesClient client, String name) {
    FlinkDeployments.in(client)
        .inNamespace(NS)
        .withName(name)
        .edit(
            d -> {
              d.getMetadata().getLabels().put(FlinkSpotPolicy.POLICY_LABEL, "enforced");
              return d;
            });
  }

  /** The API server takes the webhook configuration up asynchronously: wait for a denial. */
  private static void awaitWebhookDenies(KubernetesClient client) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var probe = PolicyFixtures.deployment(PlacementScenarios.JOB);
              ((com.fasterxml.jackson.databind.node.ObjectNode) probe.get("metadata"))
                  .put("name", "probe-" + System.nanoTime())
                  .put("namespace", NS)
                  .putObject("labels")
                  .put(FlinkSpotPolicy.POLICY_LABEL, "enforced");
              var d =
                  client
                      .getKubernetesSerialization()
                      .convertValue(
                          probe, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
              try {
                FlinkDeployments.in(client).inNamespace(NS).resource(d).create();
                FlinkDeployments.in(client).inNamespace(NS).resource(d).delete();
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 422;
              }
            });
  }

  private static void updateStatus(KubernetesClient client, String ns, String name, int n) {
    var d = FlinkDeployments.in(client).inNamespace(ns).withName(name).get();
    d.setAdditionalProperty("status", Map.of("lifecycleState", "CREATED", "error", "n" + n));
    FlinkDeployments.in(client).inNamespace(ns).resource(d).updateStatus();
  }

  private static io.fabric8.kubernetes.api.model.Condition repairsAdmitted(
      KubernetesClient client) {
    var status =
        client
            .resources(FlinkSpotPolicy.class)
            .inNamespace(NS)
            .withName("enforced")
            .get()
            .getStatus();
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> PolicyReconciler.REPAIRS_ADMITTED.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static double patches(KubernetesClient client) {
    return RealApiServerBenchmark.requests(client).getOrDefault("PATCH flinkdeployments", 0.0);
  }
}
