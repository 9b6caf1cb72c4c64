package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The controller without its admission webhook ({@code --no-webhook}), in-process as its
 * ServiceAccount with the shipped RBAC, on a real kube-apiserver: what the webhook would deny is
 * left alone, with an Event and a policy condition (issue 17 item 4); and how many Events a new
 * deployment costs (issue 15 item 6: one per deployment per change, Warnings apart).
 */
class NoWebhookIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            FlinkCrds.installWithPolicies(kube.client());
            ControllerServiceAccount.applyShippedRbac(kube);
          });

  private static final String CHECKPOINTS =
      "flinkConfiguration: {execution.checkpointing.interval: 30s}\n";

  private KubernetesClient controllerClient;
  private ControllerRuntime runtime;

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
  }

  private ControllerRuntime start(String namespace) throws Exception {
    if (controllerClient == null) {
      controllerClient =
          new KubernetesClientBuilder()
              .withConfig(
                  ControllerServiceAccount.impersonating(KUBE.client().getConfiguration()).build())
              .build();
    }
    runtime =
        new ControllerRuntime(
                controllerClient,
                TestControllerConfig.of(false, false).namespaces(List.of(namespace)).build(),
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                Loops.standard(null))
            .onLostLeadership(() -> {})
            .start();
    return runtime;
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    if (controllerClient != null) {
      controllerClient.close();
    }
  }

  private static PlacementScenarios namespace(String name) {
    TestNamespaces.create(KUBE.client(), name);
    return new PlacementScenarios(KUBE.client(), name);
  }

  private static boolean hasHpa(String ns, String name) {
    return KUBE.client()
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(ns)
            .withName(name)
            .get()
        != null;
  }

  private static Condition condition(String ns, String policy, String type) {
    var p = KUBE.client().resources(FlinkSpotPolicy.class).inNamespace(ns).withName(policy).get();
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return null;
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  @Test
  void whatTheWebhookWouldDenyIsLeftAloneWithAnEventAndAPolicyCondition() throws Exception {
    String ns = "no-webhook";
    var scenarios = namespace(ns);
    scenarios.createPolicy(
        "spot-taskmanagers",
        PolicyFixtures.SPOT_TASKMANAGERS
            + "scaling: {maxTaskManagers: 4, enforceCheckpointing: true}\n");
    // The webhook denies both at creation: no checkpointing under enforceCheckpointing, and an
    // explicit native mode (Reactive Mode needs standalone, which the operator cannot change).
    String unchecked =
        scenarios
            .createDeployment("unchecked", PlacementScenarios.JOB, false)
            .getMetadata()
            .getResourceVersion();
    String nativeOne =
        scenarios
            .createDeployment(
                "native-one", "mode: native\n" + CHECKPOINTS + PlacementScenarios.JOB, false)
            .getMetadata()
            .getResourceVersion();
    scenarios.createDeployment("fine", CHECKPOINTS + PlacementScenarios.JOB, false);

    start(ns);

    await()
        .untilAsserted(
            () -> {
              assertThat(hasHpa(ns, "fine")).as("the admissible one is scaled").isTrue();
              assertThat(scenarios.eventsFor("unchecked"))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo("NotAdmitted");
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getMessage())
                            .contains("--no-webhook")
                            .contains("execution.checkpointing.interval");
                      });
              assertThat(scenarios.eventsFor("native-one"))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo("NotAdmitted");
                        assertThat(e.getMessage()).contains("spec.mode: standalone");
                      });
              Condition admitted = condition(ns, "spot-taskmanagers", "DeploymentsAdmitted");
              assertThat(admitted).isNotNull();
              assertThat(admitted.getStatus()).isEqualTo("False");
              assertThat(admitted.getMessage())
                  .contains("would deny 2 FlinkDeployment(s)")
                  .contains("native-one: spec.mode")
                  .contains("unchecked: spec.flinkConfiguration.execution.checkpointing.interval");
            });
    await().until(runtime::idle);
    assertThat(scenarios.json("fine").at("/spec/taskManager/podTemplate").isMissingNode())
        .as("placed")
        .isFalse();
    // Left alone: no placement, no defaults (the spec was never written), no HPA.
    assertThat(scenarios.get("unchecked").getMetadata().getResourceVersion()).isEqualTo(unchecked);
    assertThat(scenarios.get("native-one").getMetadata().getResourceVersion()).isEqualTo(nativeOne);
    assertThat(hasHpa(ns, "unchecked")).isFalse();
    assertThat(hasHpa(ns, "native-one")).isFalse();

    // Fixed: checkpointing on. Now it is placed, defaulted and scaled, and no longer named.
    KUBE.kubectl(
            "patch",
            "flinkdeployment",
            "unchecked",
            "-n",
            ns,
            "--type=merge",
            "-p",
            "{\"spec\":{\"flinkConfiguration\":{\"execution.checkpointing.interval\":\"30s\"}}}")
        .orThrow();
    await()
        .untilAsserted(
            () -> {
              assertThat(hasHpa(ns, "unchecked")).isTrue();
              assertThat(
                      scenarios
                          .json("unchecked")
                          .at("/spec/flinkConfiguration/scheduler-mode")
                          .asText())
                  .isEqualTo("REACTIVE");
              assertThat(condition(ns, "spot-taskmanagers", "DeploymentsAdmitted").getMessage())
                  .contains("would deny 1 FlinkDeployment(s)")
                  .doesNotContain("unchecked");
            });
  }

  /**
   * New deployments of a scaling policy, placed, defaulted and given an HPA by the controller:
   * every Event they cost, counted from the API server. One Normal Event per deployment for that
   * one change (placement, defaults and HPA named in its message), and each Warning finding once; a
   * restarted controller records nothing.
   */
  @Test
  void aNewDeploymentCostsOneEventPerChangeAndARestartNone() throws Exception {
    String ns = "event-volume";
    int deployments = 20;
    var scenarios = namespace(ns);
    scenarios.createPolicy(
        "spot-taskmanagers",
        PolicyFixtures.SPOT_TASKMANAGERS + "scaling: {minTaskManagers: 1, maxTaskManagers: 8}\n");
    for (int i = 0; i < deployments; i++) {
      scenarios.createDeployment(String.format("job-%02d", i), PlacementScenarios.JOB, false);
    }
    start(ns);
    await()
        .untilAsserted(
            () -> {
              for (int i = 0; i < deployments; i++) {
                String name = String.format("job-%02d", i);
                assertThat(hasHpa(ns, name)).isTrue();
                assertThat(scenarios.json(name).at("/spec/taskManager/podTemplate").isMissingNode())
                    .isFalse();
              }
            });
    // Let the controller see its own writes (the update events) and reconcile them again.
    Awaitility.await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(60))
        .until(runtime::idle);

    List<Event> events =
        KUBE.client().v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> "FlinkDeployment".equals(e.getInvolvedObject().getKind()))
            .toList();
    Map<String, Long> byReason =
        events.stream()
            .collect(Collectors.groupingBy(Event::getReason, TreeMap::new, Collectors.counting()));
    long normal = events.stream().filter(e -> "Normal".equals(e.getType())).count();
    System.out.printf(
        "Events per new deployment (%d deployments, scaling policy, no webhook): %.2f"
            + " (Normal %.2f, Warning %.2f); by reason %s%n",
        deployments,
        events.size() / (double) deployments,
        normal / (double) deployments,
        (events.size() - normal) / (double) deployments,
        byReason);
    for (int i = 0; i < deployments; i++) {
      String name = String.format("job-%02d", i);
      List<Event> own = scenarios.eventsFor(name);
      assertThat(own)
          .as(name + ": one Normal Event for the one change")
          .filteredOn(e -> "Normal".equals(e.getType()))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .contains("written")
                      .contains("HorizontalPodAutoscaler " + name + " created"));
      assertThat(own.stream().map(Event::getReason))
          .as(name + ": each reason once")
          .doesNotHaveDuplicates();
      assertThat(own).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    runtime.close();
    double before = eventWrites();
    start(ns);
    Awaitility.await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(60))
        .until(runtime::idle);
    assertThat(eventWrites()).as("Event writes after a restart").isEqualTo(before);
  }

  /** POST and PATCH of Events, from the API server's own request counter. */
  private static double eventWrites() {
    return RealApiServerBenchmark.requests(KUBE.client()).entrySet().stream()
        .filter(e -> e.getKey().startsWith("POST events") || e.getKey().startsWith("PATCH events"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
