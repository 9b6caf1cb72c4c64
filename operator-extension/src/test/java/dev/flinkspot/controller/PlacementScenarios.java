package dev.flinkspot.controller;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.controller.FlinkDeploymentReconciler.Result;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * Reconcile scenarios against any {@link KubernetesClient}: Fabric8's mock server in CRUD mode now
 * ({@code ReconcilerMockServerTest}), a real API server with the FlinkDeployment and
 * FlinkSpotPolicy CRDs installed later (an {@code *IT} can call the same methods). "No write" is
 * checked through {@code resourceVersion}, which any write changes on any API server.
 */
public final class PlacementScenarios {

  public static final String NS = "flink";

  private final KubernetesClient client;
  private final ControllerUnderTest controller;
  private final String ns;

  public PlacementScenarios(KubernetesClient client) {
    this(client, NS);
  }

  /** Scenarios in {@code namespace}, which must exist and be empty (one per scenario). */
  public PlacementScenarios(KubernetesClient client, String namespace) {
    this.client = client;
    this.controller = new ControllerUnderTest(client);
    this.ns = namespace;
  }

  public String namespace() {
    return ns;
  }

  public ControllerUnderTest controller() {
    return controller;
  }

  public FlinkSpotPolicy createPolicy(String name, String specYaml) {
    FlinkSpotPolicy policy = new FlinkSpotPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    policy.setSpec(PolicyFixtures.spec(specYaml));
    return client.resource(policy).create();
  }

  /**
   * Creates a FlinkDeployment; with {@code deployed} it gets the status the Flink operator writes
   * once it deployed the spec, which makes a later placement write a restart.
   */
  public GenericKubernetesResource createDeployment(
      String name, String specYaml, boolean deployed) {
    ObjectNode json = PolicyFixtures.deployment(specYaml);
    ((ObjectNode) json.get("metadata")).put("name", name).put("namespace", ns);
    var d = client.getKubernetesSerialization().convertValue(json, GenericKubernetesResource.class);
    var created = FlinkDeployments.in(client).inNamespace(ns).resource(d).create();
    if (deployed) {
      created.setAdditionalProperty(
          "status",
          Map.of(
              "lifecycleState",
              "STABLE",
              "reconciliationStatus",
              Map.of("lastReconciledSpec", "{\"spec\":{}}", "state", "DEPLOYED")));
      created = FlinkDeployments.in(client).inNamespace(ns).resource(created).updateStatus();
    }
    return created;
  }

  public GenericKubernetesResource get(String name) {
    return FlinkDeployments.in(client).inNamespace(ns).withName(name).get();
  }

  public JsonNode json(String name) {
    return client.getKubernetesSerialization().convertValue(get(name), JsonNode.class);
  }

  public List<Event> eventsFor(String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  public List<String> reasonsFor(String name) {
    return eventsFor(name).stream().map(Event::getReason).sorted().toList();
  }

  /** {@code name} carries the placement, and a reconcile writes nothing more to it. */
  public void assertPlacedAndAFixedPoint(String name) {
    assertThat(json(name).at("/spec/taskManager/podTemplate/spec/topologySpreadConstraints"))
        .hasSize(2);
    String version = get(name).getMetadata().getResourceVersion();
    controller.settle(ns);
    assertThat(get(name).getMetadata().getResourceVersion()).isEqualTo(version);
  }

  // ---- scenarios ---------------------------------------------------------------------------

  /** A deployment the webhook missed, not yet deployed: placed by one write, then a fixed point. */
  public void newDeploymentIsPlacedOnceThenLeftAlone() {
    createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    createDeployment("fresh", "", false);

    assertThat(controller.settle(ns)).containsEntry(Result.REPAIRED, 1);
    String placedVersion = get("fresh").getMetadata().getResourceVersion();
    JsonNode tm = Json.at(json("fresh"), "spec", "taskManager", "podTemplate", "spec");
    assertThat(tm.path("topologySpreadConstraints")).hasSize(2);

    assertThat(controller.settle(ns)).containsEntry(Result.IN_PLACE, 1);
    assertThat(controller.settle(ns)).containsEntry(Result.IN_PLACE, 1);
    assertThat(get("fresh").getMetadata().getResourceVersion()).isEqualTo(placedVersion);
    // The passes that find it in place state what the Placed Event said: no Event of their own.
    assertThat(reasonsFor("fresh")).containsExactly("Placed");
  }

  /** Deployed before the controller, repairExisting false: never written, one Event. */
  public void existingDeploymentIsNotRepairedWithoutPermission() {
    createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    String before = createDeployment("old", "", true).getMetadata().getResourceVersion();

    assertThat(controller.settle(ns)).containsEntry(Result.REPAIR_SKIPPED, 1);
    controller.settle(ns);

    assertThat(get("old").getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat(reasonsFor("old")).containsExactly("RepairSkipped");
  }

  /** Deployed before the controller, repairExisting true: exactly one write. */
  public void existingDeploymentIsRepairedInOneWriteWhenAllowed() {
    createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS + "repairExisting: true\n");
    createDeployment("old", "", true);

    assertThat(controller.settle(ns)).containsEntry(Result.REPAIRED, 1);
    String after = get("old").getMetadata().getResourceVersion();
    assertThat(controller.settle(ns)).containsEntry(Result.IN_PLACE, 1);

    assertThat(get("old").getMetadata().getResourceVersion()).isEqualTo(after);
    assertThat(Json.at(json("old"), "status", "lifecycleState").asText()).isEqualTo("STABLE");
  }

  /** A deployment naming a policy that does not exist: an Event, nothing else. */
  public void missingPolicyLeavesTheDeploymentAlone() {
    String before = createDeployment("orphan", "", false).getMetadata().getResourceVersion();

    assertThat(controller.settle(ns)).containsEntry(Result.SKIPPED, 1);

    assertThat(get("orphan").getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat(eventsFor("orphan"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("PolicyNotFound");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("spot-taskmanagers");
            });
  }

  /** TaskManagers pinned to On-Demand by the user: left as written, with an Event that says so. */
  public void conflictingUserPlacementIsLeftAsWritten() {
    createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    String before =
        createDeployment(
                "pinned",
                "taskManager: {podTemplate: {spec: {nodeSelector: {eks.amazonaws.com/capacityType: ON_DEMAND}}}}",
                false)
            .getMetadata()
            .getResourceVersion();

    assertThat(controller.settle(ns)).containsEntry(Result.CONFLICT, 1);

    assertThat(get("pinned").getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat(eventsFor("pinned"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("PlacementConflict");
              assertThat(e.getMessage()).contains("left as written").contains("ON_DEMAND");
            });
  }

  /** An invalid policy: Ready=False/Invalid, an Event, its deployments keep their placement. */
  public void invalidPolicyIsMarkedAndItsDeploymentsKeepTheirPlacement() {
    var policy = createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    createDeployment("kept", "", false);
    controller.settle(ns);
    String placedVersion = get("kept").getMetadata().getResourceVersion();

    var broken =
        client
            .resources(FlinkSpotPolicy.class)
            .inNamespace(ns)
            .withName(policy.getMetadata().getName())
            .get();
    // Valid for the CRD schema, invalid for the controller: the schema cannot know the scheme's
    // key.
    broken.setSpec(
        PolicyFixtures.spec(
            "capacityLabels: {scheme: EksManagedNodeGroup}\n"
                + "taskManager: {nodeSelector: {eks.amazonaws.com/capacityType: SPOT}}\n"));
    client.resource(broken).update();
    assertThat(controller.settle(ns)).containsEntry(Result.SKIPPED, 1);

    var status =
        client
            .resources(FlinkSpotPolicy.class)
            .inNamespace(ns)
            .withName("spot-taskmanagers")
            .get()
            .getStatus();
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Invalid");
              assertThat(c.getMessage()).contains("must not name the capacity label");
            });
    assertThat(get("kept").getMetadata().getResourceVersion()).isEqualTo(placedVersion);
    assertThat(reasonsFor("spot-taskmanagers")).contains("PolicyInvalid");
    assertThat(reasonsFor("kept")).contains("PolicyInvalid");
  }

  /** A valid policy reports Ready, its governed deployments and its generation, written once. */
  public void policyStatusListsGovernedDeploymentsAndIsWrittenOnlyOnChange() {
    createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
    createDeployment("a", "", false);
    createDeployment("b", "", false);
    var unlabelled = PolicyFixtures.deployment("");
    ((ObjectNode) unlabelled.get("metadata")).remove("labels");
    ((ObjectNode) unlabelled.get("metadata")).put("name", "c").put("namespace", ns);
    FlinkDeployments.in(client)
        .inNamespace(ns)
        .resource(
            client
                .getKubernetesSerialization()
                .convertValue(unlabelled, GenericKubernetesResource.class))
        .create();

    controller.settle(ns);
    var policy =
        client.resources(FlinkSpotPolicy.class).inNamespace(ns).withName("spot-taskmanagers").get();
    String version = policy.getMetadata().getResourceVersion();
    controller.settle(ns);

    var again =
        client.resources(FlinkSpotPolicy.class).inNamespace(ns).withName("spot-taskmanagers").get();
    assertThat(again.getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(again.getStatus().getGovernedDeployments()).containsExactly("a", "b");
    assertThat(again.getStatus().getGovernedCount()).isEqualTo(2);
    assertThat(again.getStatus().getObservedGeneration())
        .isEqualTo(again.getMetadata().getGeneration());
    assertThat(again.getStatus().getConditions().get(0).getStatus()).isEqualTo("True");
  }

  // ---- Reactive Mode scaling ---------------------------------------------------------------

  /** The example policy with scaling on (up to 8 TaskManagers). */
  public static final String SCALING = SPOT_TASKMANAGERS + "scaling: {maxTaskManagers: 8}\n";

  /** An application cluster (Reactive Mode needs one). */
  public static final String JOB =
      "job: {jarURI: \"local:///opt/flink/usrlib/job.jar\", upgradeMode: stateless}\n";

  /**
   * A scaled deployment the webhook missed: placement and Reactive Mode defaults in one write, the
   * findings as Events, then a fixed point that writes neither the deployment nor Events.
   */
  public void newScaledDeploymentIsPlacedAndDefaultedOnceThenLeftAlone() {
    createPolicy("spot-taskmanagers", SCALING);
    createDeployment("reactive", JOB, false);

    assertThat(controller.settle(ns)).containsEntry(Result.REPAIRED, 1);
    JsonNode stored = json("reactive");
    String version = get("reactive").getMetadata().getResourceVersion();
    assertThat(stored.at("/spec/mode").asText()).isEqualTo("standalone");
    assertThat(stored.at("/spec/flinkConfiguration/scheduler-mode").asText()).isEqualTo("REACTIVE");
    assertThat(stored.at("/spec/flinkConfiguration/restart-strategy.type").asText())
        .isEqualTo("exponential-delay");
    assertThat(stored.at("/spec/taskManager/podTemplate/spec/topologySpreadConstraints"))
        .hasSize(2);
    int events = eventsFor("reactive").size();

    assertThat(controller.settle(ns)).containsEntry(Result.IN_PLACE, 1);
    assertThat(controller.settle(ns)).containsEntry(Result.IN_PLACE, 1);

    assertThat(get("reactive").getMetadata().getResourceVersion()).isEqualTo(version);
    // The same wiring as the placement loop: its HPA step ran too, once, in the first pass, and
    // the pass made one Normal Event (placement, defaults and HPA) besides the Warning finding.
    assertThat(reasonsFor("reactive")).containsExactly("CheckpointingOff", "Placed");
    assertThat(eventsFor("reactive")).hasSize(events);
    assertThat(eventsFor("reactive"))
        .filteredOn(e -> e.getReason().equals("Placed"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("spec.mode=standalone")
                    .contains("HorizontalPodAutoscaler reactive created"));
  }

  /**
   * Deployed in native mode before the policy had scaling, repairExisting on: the placement is
   * written, but never a mode change (the Flink operator rejects it) nor REACTIVE (a native
   * JobManager refuses it); a NativeMode Event says to recreate.
   */
  public void deployedNativeDeploymentGetsPlacementButNoModeChange() {
    createPolicy("spot-taskmanagers", SCALING + "repairExisting: true\n");
    createDeployment("native", JOB, true);

    assertThat(controller.settle(ns)).containsEntry(Result.REPAIRED, 1);
    assertThat(controller.settle(ns)).containsEntry(Result.IN_PLACE, 1);

    JsonNode stored = json("native");
    assertThat(stored.at("/spec/mode").isMissingNode()).isTrue();
    assertThat(stored.at("/spec/flinkConfiguration").isMissingNode()).isTrue();
    assertThat(stored.at("/spec/taskManager/podTemplate/spec/topologySpreadConstraints"))
        .hasSize(2);
    assertThat(eventsFor("native"))
        .filteredOn(e -> e.getReason().equals("NativeMode"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("recreate"));
  }
}
