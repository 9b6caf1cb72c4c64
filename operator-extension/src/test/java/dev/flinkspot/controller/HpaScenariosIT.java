package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.kube.Names;
import dev.flinkspot.policy.DeploymentScaling;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HPA step end to end: the controller runs in-process as its ServiceAccount with only the
 * shipped RBAC, on a real kube-apiserver with the real kube-controller-manager (garbage collector,
 * HPA controller with a 2 s sync; no metrics server, so CPU metrics are unavailable).
 */
class HpaScenariosIT {

  private static final String POLICY = "spot-taskmanagers";
  private static final String CONTROLLER_AGENT = "flinkspot-controller";

  // CRDs before the controller-manager: its garbage collector discovers resource types at start.
  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            FlinkCrds.installWithPolicies(kube.client());
            ControllerServiceAccount.applyShippedRbac(kube);
            kube.startControllerManager();
          });

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static KubernetesClient controllerClient;
  private static ControllerRuntime runtime;
  private static SimpleMeterRegistry registry;

  private KubernetesClient client;
  private PlacementScenarios scenarios;
  private String ns;

  @BeforeAll
  static void startController() throws Exception {
    var asServiceAccount =
        ControllerServiceAccount.impersonating(KUBE.client().getConfiguration())
            // The field manager the API server records for our writes.
            .withUserAgent(CONTROLLER_AGENT)
            .build();
    controllerClient = new KubernetesClientBuilder().withConfig(asServiceAccount).build();
    registry = new SimpleMeterRegistry();
    runtime =
        new ControllerRuntime(
                controllerClient,
                TestControllerConfig.of(false, false).build(),
                registry,
                Clock.systemUTC(),
                Loops.standard(null))
            .onLostLeadership(() -> {})
            .start();
  }

  @AfterAll
  static void stopController() {
    if (runtime != null) {
      runtime.close();
    }
    if (controllerClient != null) {
      controllerClient.close();
    }
  }

  @BeforeEach
  void namespace() {
    client = KUBE.client();
    ns = "hpa-" + NAMESPACES.incrementAndGet();
    TestNamespaces.create(client, ns);
    scenarios = new PlacementScenarios(client, ns);
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
  }

  /**
   * A standalone reactive application deployment with 2 TaskManagers, as the Flink operator reports
   * it.
   */
  private GenericKubernetesResource deployment(String name) {
    scenarios.createDeployment(
        name,
        """
            mode: standalone
            flinkConfiguration:
              scheduler-mode: REACTIVE
              taskmanager.numberOfTaskSlots: "2"
            taskManager: {replicas: 2}
            job: {jarURI: "local:///opt/flink/usrlib/stock-ticker.jar", upgradeMode: last-state}
            """,
        false);
    // A merge patch without resourceVersion: the controller may already have written placement.
    KUBE.kubectl(
            "patch",
            "flinkdeployment",
            name,
            "-n",
            ns,
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"taskManager\":{\"replicas\":2,\"labelSelector\":"
                + "\"component=taskmanager,app="
                + name
                + "\"}}}")
        .orThrow();
    return scenarios.get(name);
  }

  private void policy(String scalingYaml) {
    scenarios.createPolicy(POLICY, "scaling: " + scalingYaml);
  }

  private void editPolicy(String scalingYaml) {
    var p = client.resources(FlinkSpotPolicy.class).inNamespace(ns).withName(POLICY).get();
    var spec = PolicyFixtures.spec("scaling: " + scalingYaml);
    p.setSpec(spec);
    client.resource(p).update();
  }

  private Resource<HorizontalPodAutoscaler> hpa(String name) {
    return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(name);
  }

  /** A user's edit of the HPA's maxReplicas (kubectl edit hpa). */
  private void handEditMaxReplicas(String name, int max) {
    hpa(name)
        .edit(
            h ->
                new HorizontalPodAutoscalerBuilder(h)
                    .editSpec()
                    .withMaxReplicas(max)
                    .endSpec()
                    .build());
  }

  private FlinkSpotPolicy policyNow() {
    return client.resources(FlinkSpotPolicy.class).inNamespace(ns).withName(POLICY).get();
  }

  private void settled() {
    await().until(runtime::idle);
  }

  private static double count(String result) {
    Counter c = registry.find("flinkspot_hpa_reconciles").tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void joiningCreatesTheHpaAndABoundsChangeUpdatesItWithoutTouchingTheDeployment() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    var fd = deployment("joins");

    await()
        .untilAsserted(
            () -> {
              var h = hpa("joins").get();
              assertThat(h).isNotNull();
              assertThat(h.getSpec().getMinReplicas()).isEqualTo(1);
              assertThat(h.getSpec().getMaxReplicas()).isEqualTo(4);
              assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("FlinkDeployment");
              assertThat(h.getMetadata().getLabels())
                  .containsEntry(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
              assertThat(h.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.getUid()).isEqualTo(fd.getMetadata().getUid());
                        assertThat(r.getController()).isTrue();
                      });
              // One pass placed it and created the HPA: one Event says both.
              assertThat(scenarios.eventsFor("joins"))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo("Placed");
                        assertThat(e.getMessage())
                            .contains("HorizontalPodAutoscaler joins created");
                      });
              // Joining also brought the Reactive Mode defaults (the reconciler's one patch).
              var conf = scenarios.json("joins").path("spec").path("flinkConfiguration");
              assertThat(conf.path(dev.flinkspot.scaling.FlinkKeys.RESTART_STRATEGY_TYPE).asText())
                  .isEqualTo("exponential-delay");
              // On 1.x the failure's wait moves into the restart backoff: a rescale waits 1 s.
              assertThat(
                      conf.path(dev.flinkspot.scaling.FlinkKeys.RESOURCE_STABILIZATION_TIMEOUT)
                          .asText())
                  .isEqualTo("1 s");
              assertThat(
                      conf.path(dev.flinkspot.scaling.FlinkKeys.RESTART_INITIAL_BACKOFF).asText())
                  .isEqualTo("10 s");
            });
    settled();
    var before = scenarios.get("joins").getMetadata();
    double updates = count("UPDATED");

    editPolicy("{minTaskManagers: 1, maxTaskManagers: 3}");

    await().until(() -> hpa("joins").get().getSpec().getMaxReplicas() == 3);
    settled();
    var after = scenarios.get("joins").getMetadata();
    assertThat(after.getResourceVersion())
        .as("FlinkDeployment untouched")
        .isEqualTo(before.getResourceVersion());
    assertThat(after.getGeneration()).isEqualTo(before.getGeneration());
    assertThat(count("UPDATED") - updates).as("one update").isEqualTo(1);

    // The real HPA controller reports; without a metrics server ScalingActive is False, and the
    // policy status says so (a real signal), with the replica counts.
    await()
        .untilAsserted(
            () -> {
              var status = policyNow().getStatus();
              DeploymentScaling entry = status.getScaling().get(0);
              assertThat(entry.deployment()).isEqualTo("joins");
              assertThat(entry.hpa()).isEqualTo("joins");
              assertThat(entry.maxReplicas()).isEqualTo(3);
              assertThat(entry.currentReplicas()).isEqualTo(2);
              assertThat(status.getScalingCounts())
                  .isEqualTo(new dev.flinkspot.policy.ScalingCounts(1, 0, 0, 0, 1, 0));
              assertThat(entry.conditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ScalingActive");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("FailedGetResourceMetric");
                      });
              assertThat(status.getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ScalingReady");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("ScalingInactive");
                        assertThat(c.getMessage()).contains("joins (FailedGetResourceMetric)");
                      });
              // The deployment checkpoints nowhere: a warning (the policy does not enforce it).
              assertThat(status.getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("ReactiveModeReady");
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("Warnings");
                        assertThat(c.getMessage()).contains("joins (CheckpointingOff");
                      });
              assertThat(gauge("flinkspot_hpa_current_taskmanagers", "joins")).isEqualTo(2.0);
              assertThat(gauge("flinkspot_hpa_max_taskmanagers", "joins")).isEqualTo(3.0);
            });
    // Written only on change: once settled, the policy's resourceVersion holds across HPA syncs.
    settled();
    String version = policyNow().getMetadata().getResourceVersion();
    Awaitility.await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(10))
        .until(() -> policyNow().getMetadata().getResourceVersion().equals(version));
  }

  /**
   * A Flink 2.2 deployment, accepted by operator 1.15.0's CRD: the reconciler's Reactive Mode
   * defaults use the 2.x keys, and a 1.x key it carries is an Event naming the 2.x key.
   */
  @Test
  void aFlinkTwoTwoDeploymentGetsTheTwoKeysAndItsOneKeyIsNamed() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    scenarios.createDeployment(
        "two",
        """
        flinkVersion: v2_2
        image: flink:2.2
        mode: standalone
        flinkConfiguration:
          scheduler-mode: REACTIVE
          taskmanager.numberOfTaskSlots: "2"
          jobmanager.adaptive-scheduler.scaling-interval.max: 10 min
        taskManager: {replicas: 2}
        job: {jarURI: "local:///opt/flink/usrlib/stock-ticker.jar", upgradeMode: last-state}
        """,
        false);
    String prefix = "jobmanager.adaptive-scheduler.";

    await()
        .untilAsserted(
            () -> {
              var conf = scenarios.json("two").path("spec").path("flinkConfiguration");
              assertThat(conf.path(prefix + "submission.resource-stabilization-timeout").asText())
                  .isEqualTo("10 s");
              assertThat(conf.path(prefix + "executing.cooldown-after-rescaling").asText())
                  .isEqualTo("60 s");
              assertThat(conf.has(prefix + "resource-stabilization-timeout")).isFalse();
              assertThat(conf.has(prefix + "scaling-interval.min")).isFalse();
              assertThat(scenarios.eventsFor("two"))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo("FlinkOneKeyOnFlinkTwo");
                        assertThat(e.getMessage())
                            .contains(prefix + "executing.resource-stabilization-timeout");
                      });
            });
    assertThat(scenarios.json("two").path("spec").path("flinkVersion").asText()).isEqualTo("v2_2");
  }

  private Double gauge(String name, String deployment) {
    var g = registry.find(name).tag("namespace", ns).tag("deployment", deployment).gauge();
    return g == null ? null : g.value();
  }

  @Test
  void aHandEditedHpaIsRepairedAndAForeignOneIsLeftAlone() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    deployment("drift");
    await().until(() -> hpa("drift").get() != null);

    handEditMaxReplicas("drift", 9);

    await().until(() -> hpa("drift").get().getSpec().getMaxReplicas() == 4);
    await().until(() -> scenarios.reasonsFor("drift").contains("HpaUpdated"));

    var foreign =
        client
            .resource(
                new HorizontalPodAutoscalerBuilder()
                    .withNewMetadata()
                    .withName("foreign")
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .withNewScaleTargetRef()
                    .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
                    .withKind(Names.FLINK_DEPLOYMENT_KIND)
                    .withName("foreign")
                    .endScaleTargetRef()
                    .withMinReplicas(2)
                    .withMaxReplicas(7)
                    .endSpec()
                    .build())
            .create();
    deployment("foreign");

    await()
        .untilAsserted(
            () ->
                assertThat(scenarios.eventsFor("foreign"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("ForeignHpa");
                          assertThat(e.getMessage())
                              .contains("kubectl delete hpa -n " + ns + " foreign");
                        }));
    settled();
    var after = hpa("foreign").get();
    assertThat(after.getSpec()).as("not taken over").isEqualTo(foreign.getSpec());
    assertThat(after.getSpec().getMaxReplicas()).isEqualTo(7);
    assertThat(after.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  /**
   * Issue 17 item 5: the Events tell the present. A policy deleted and re-created: the HPA is back,
   * and so do the latest Events say (not HpaDeleted or PolicyNotFound).
   */
  @Test
  void aPolicyDeletedAndRecreatedEndsWithEventsSayingTheHpaIsBack() throws Exception {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    deployment("back");
    await().until(() -> hpa("back").get() != null);
    settled();

    client.resources(FlinkSpotPolicy.class).inNamespace(ns).withName(POLICY).delete();
    await().until(() -> hpa("back").get() == null);
    await().until(() -> scenarios.reasonsFor("back").contains("PolicyNotFound"));
    settled();
    // Event times have whole seconds: what follows is in a later second.
    Thread.sleep(1_100);

    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    await().until(() -> hpa("back").get() != null);
    await()
        .untilAsserted(
            () -> {
              List<Event> latest = latest(ours("back"));
              assertThat(latest)
                  .as("the latest Events")
                  .noneSatisfy(e -> assertThat(e.getReason()).isIn("HpaDeleted", "PolicyNotFound"))
                  .anySatisfy(
                      e ->
                          assertThat(e.getMessage())
                              .contains("HorizontalPodAutoscaler back created"));
            });
  }

  /**
   * Issue 17 item 5: after the controller sets a hand-edited HPA back, the last Event says so; no
   * Event asks the user to lower spec.maxReplicas, and a second edit is the same Event again.
   */
  @Test
  void aHandEditedHpaSetBackTwiceEndsWithHpaUpdatedAndNoFindingToFix() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    deployment("edited");
    await().until(() -> hpa("edited").get() != null);
    settled();

    for (int edit = 1; edit <= 2; edit++) {
      handEditMaxReplicas("edited", 9);
      await().until(() -> hpa("edited").get().getSpec().getMaxReplicas() == 4);
      settled();
    }

    List<Event> events = ours("edited");
    assertThat(events)
        .extracting(Event::getReason)
        .as("nothing left for the user to fix")
        .doesNotContain("HpaMaxAbovePolicy");
    assertThat(latest(events))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("HpaUpdated");
              assertThat(e.getMessage()).contains("set back").contains("1-4 TaskManagers");
              assertThat(e.getCount()).as("set back twice").isEqualTo(2);
            });
  }

  /**
   * flinkspot's Events on the FlinkDeployment (the HPA controller's own, on the same-named HPA,
   * keep coming: FailedGetResourceMetric without a metrics server).
   */
  private List<Event> ours(String deployment) {
    return scenarios.eventsFor(deployment).stream()
        .filter(e -> "FlinkDeployment".equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  /** The Events with the latest {@code lastTimestamp} (whole seconds). */
  private static List<Event> latest(List<Event> events) {
    String last = events.stream().map(Event::getLastTimestamp).max(String::compareTo).orElseThrow();
    return events.stream().filter(e -> last.equals(e.getLastTimestamp())).toList();
  }

  /**
   * Issue 17 item 6: without the Flink operator the scale subresource has no selector, the HPA says
   * InvalidSelector, and the policy's ScalingReady says why; {@code kubectl get fsp} shows the
   * Reactive Mode findings next to READY.
   */
  @Test
  void withoutTheFlinkOperatorScalingReadyExplainsInvalidSelector() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    // As created, before any Flink operator writes status.taskManager.labelSelector.
    scenarios.createDeployment(
        "unselected",
        """
            mode: standalone
            flinkConfiguration: {scheduler-mode: REACTIVE}
            taskManager: {replicas: 2}
            job: {jarURI: "local:///opt/flink/usrlib/stock-ticker.jar", upgradeMode: last-state}
            """,
        false);

    await()
        .ignoreException(NullPointerException.class) // no status yet
        .untilAsserted(
            () ->
                assertThat(policyNow().getStatus().getConditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("ScalingReady");
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getMessage())
                              .contains("unselected (InvalidSelector)")
                              .contains(
                                  "scale subresource has no selector until the Flink operator"
                                      + " deploys the job");
                        }));
    var table = KUBE.kubectl("get", "fsp", "-n", ns).orThrow();
    String[] lines = table.stdout().split("\n");
    assertThat(lines[0]).contains(" READY ").contains(" REACTIVE ");
    // The deployment checkpoints nowhere: a warning, shown although the policy is READY.
    assertThat(column(lines, "READY")).isEqualTo("True");
    assertThat(column(lines, "REACTIVE")).isEqualTo("Warnings");
  }

  /** The first row's value under {@code name} (kubectl aligns values under their header). */
  private static String column(String[] lines, String name) {
    int at = lines[0].indexOf(" " + name + " ") + 1;
    return lines[1].substring(at).split("\\s+")[0];
  }

  @Test
  void anInvalidPolicyLeavesTheHpaWithItsLastGoodSpec() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    deployment("kept");
    await().until(() -> hpa("kept").get() != null);
    settled();
    double updates = count("UPDATED");

    // Passes the CRD schema (type is set), fails ScalingPolicyValidator (no .pods section).
    editPolicy("{minTaskManagers: 1, maxTaskManagers: 6, metrics: [{type: Pods}]}");

    await()
        .untilAsserted(
            () -> {
              assertThat(policyNow().getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getMessage()).contains("scaling.metrics[0]");
                      });
              assertThat(scenarios.reasonsFor("kept")).contains("HpaKept");
            });
    settled();
    var h = hpa("kept").get();
    assertThat(h.getSpec().getMaxReplicas()).isEqualTo(4);
    assertThat(count("UPDATED")).as("no HPA write").isEqualTo(updates);
  }

  @Test
  void leavingThePolicyDeletesTheHpaAndDeletingTheDeploymentLetsTheGarbageCollectorDoIt() {
    policy("{minTaskManagers: 1, maxTaskManagers: 4}");
    deployment("leaves");
    deployment("deleted");
    await().until(() -> hpa("leaves").get() != null && hpa("deleted").get() != null);

    FlinkDeployments.in(client)
        .inNamespace(ns)
        .withName("leaves")
        .edit(
            d -> {
              d.getMetadata().getLabels().remove(FlinkSpotPolicy.POLICY_LABEL);
              return d;
            });

    await().until(() -> hpa("leaves").get() == null);
    // Recorded just after the delete: it may reach the API server a moment later.
    await().until(() -> scenarios.reasonsFor("leaves").contains("HpaDeleted"));
    await().until(() -> gauge("flinkspot_hpa_max_taskmanagers", "leaves") == null);

    double deletesBefore = count("DELETED");
    FlinkDeployments.in(client)
        .inNamespace(ns)
        .withName("deleted")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();

    await().until(() -> hpa("deleted").get() == null);
    assertThat(count("DELETED"))
        .as("the garbage collector deleted it, not us")
        .isEqualTo(deletesBefore);
    await().until(() -> gauge("flinkspot_hpa_max_taskmanagers", "deleted") == null);
  }

  @Test
  void theHpaControllerScalesTheDeploymentAndTheControllerDoesNotWriteItBack() {
    // minReplicas above the 2 running TaskManagers: the HPA controller scales without metrics.
    policy("{minTaskManagers: 3, maxTaskManagers: 6}");
    deployment("scaled");

    await()
        .until(
            () ->
                Integer.valueOf(3)
                    .equals(scenarios.get("scaled").get("spec", "taskManager", "replicas")));
    long generation = scenarios.get("scaled").getMetadata().getGeneration();
    settled();
    // Let the controller see the scaled object (the update event) and reconcile it again.
    Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(runtime::idle);
    settled();

    var after = scenarios.get("scaled");
    assertThat(after.getMetadata().getGeneration())
        .as("nothing wrote the spec back")
        .isEqualTo(generation);
    Object replicas = after.get("spec", "taskManager", "replicas");
    assertThat(replicas).isEqualTo(3);
    List<ManagedFieldsEntry> owners =
        after.getMetadata().getManagedFields().stream()
            .filter(HpaScenariosIT::ownsReplicas)
            .toList();
    assertThat(owners)
        .as("spec.taskManager.replicas is owned by the scale subresource writer only")
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getSubresource()).isEqualTo("scale");
              assertThat(m.getManager()).isNotEqualTo(CONTROLLER_AGENT);
            });
    assertThat(after.getMetadata().getManagedFields())
        .as("the controller did write the placement (so its manager is known)")
        .anySatisfy(m -> assertThat(m.getManager()).isEqualTo(CONTROLLER_AGENT));
  }

  private static boolean ownsReplicas(ManagedFieldsEntry entry) {
    if (entry.getFieldsV1() == null) {
      return false;
    }
    JsonNode fields =
        KUBE.client()
            .getKubernetesSerialization()
            .convertValue(entry.getFieldsV1().getAdditionalProperties(), ObjectNode.class);
    return fields.path("f:spec").path("f:taskManager").has("f:replicas");
  }
}
