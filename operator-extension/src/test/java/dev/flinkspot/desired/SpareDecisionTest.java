package dev.flinkspot.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.ObservedPod;
import dev.flinkspot.kube.Names;
import dev.flinkspot.placement.Placement;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpareDecisionTest {

  private static final String POLICY = PolicyFixtures.SPOT_TASKMANAGERS + "  spare: 2\n";
  private static final SpareDecision.Settings SETTINGS = SpareDecision.Settings.defaults();

  /** The fixture deployment as admission stores it: placed by the policy, with a uid. */
  private static ObjectNode placed(String extraSpec) {
    ObjectNode d = PolicyFixtures.deployment(extraSpec);
    ((ObjectNode) d.get("metadata")).put("uid", "uid-1");
    return (ObjectNode) Placement.place(d, PolicyFixtures.policy(POLICY)).placed();
  }

  private static PolicyResolver.Resolution governed(String yaml) {
    return new PolicyResolver.Governed(PolicyFixtures.policy(yaml));
  }

  @Test
  void createsSparesSizedAndPlacedLikeTheTaskManager() {
    ObjectNode d = placed("");
    var decision = SpareDecision.decide(d, governed(POLICY), null, SETTINGS);

    assertThat(decision).isInstanceOf(SpareDecision.Create.class);
    Deployment spares = ((SpareDecision.Create) decision).spares();
    assertThat(spares.getMetadata().getName()).isEqualTo("ticker-flinkspot-spare");
    assertThat(spares.getSpec().getReplicas()).isEqualTo(2);
    assertThat(spares.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getKind()).isEqualTo("FlinkDeployment");
              assertThat(o.getController()).isTrue();
            });
    var pod = spares.getSpec().getTemplate().getSpec();
    var tmTemplate = Json.at(d, "spec", "taskManager", "podTemplate", "spec");
    // Exactly the placement the TaskManagers carry.
    assertThat((com.fasterxml.jackson.databind.JsonNode) Json.MAPPER.valueToTree(pod.getAffinity()))
        .isEqualTo(tmTemplate.path("affinity"));
    assertThat(
            (com.fasterxml.jackson.databind.JsonNode) Json.MAPPER.valueToTree(pod.getTolerations()))
        .isEqualTo(tmTemplate.path("tolerations"));
    assertThat(
            (com.fasterxml.jackson.databind.JsonNode)
                Json.MAPPER.valueToTree(pod.getTopologySpreadConstraints()))
        .isEqualTo(tmTemplate.path("topologySpreadConstraints"));
    assertThat(pod.getPriorityClassName()).isEqualTo("flinkspot-spare");
    assertThat(pod.getTerminationGracePeriodSeconds()).isZero();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("flink:1.20");
    assertThat(container.getCommand()).containsExactly("sleep", "infinity");
    // resource: {cpu: 2, memory: 4096m} is 2 vCPU and 4096 MiB, as the Flink operator reads it.
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity(Long.toString(4096L << 20)));
    assertThat(container.getResources().getLimits())
        .isEqualTo(container.getResources().getRequests());
    // Never a TaskManager to the operator, the HPA selector, the cost report or the notices.
    assertThat(spares.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKeys(FlinkPods.COMPONENT, FlinkPods.TYPE, FlinkPods.APP)
        .containsEntry(SpareDecision.SPARE_FOR_LABEL, "ticker");
  }

  /**
   * A placeholder made from the template is in the controller's pod cache (governed label) and
   * priced as the deployment's spare, never as one of its TaskManagers; the Deployment's selector
   * stays without the governed label (apps/v1 keeps a selector immutable).
   */
  @Test
  void placeholdersAreCachedAndPricedAsSparesNeverAsTaskManagers() {
    Deployment spares =
        ((SpareDecision.Create) SpareDecision.decide(placed(""), governed(POLICY), null, SETTINGS))
            .spares();
    var template = spares.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .containsEntry(Names.GOVERNED_LABEL, Names.GOVERNED);
    assertThat(spares.getSpec().getSelector().getMatchLabels())
        .doesNotContainKey(Names.GOVERNED_LABEL);
    var placeholder =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName("ticker-flinkspot-spare-abc")
                    .withNamespace("flink")
                    .withLabels(template.getMetadata().getLabels())
                    .build())
            .withSpec(new PodSpecBuilder(template.getSpec()).withNodeName("spot-1").build())
            .build();

    assertThat(FlinkPods.billedTo(placeholder)).contains("ticker");
    assertThat(FlinkPods.deploymentOf(placeholder)).as("not a Flink pod").isEmpty();
    var observed = FlinkPods.observe(placeholder).orElseThrow();
    assertThat(observed.component()).isEqualTo(ObservedPod.Component.SPARE);
    assertThat(observed.cpu()).isEqualByComparingTo("2");
    assertThat(observed.memoryBytes()).isEqualTo(4096L << 20);
    assertThat(FlinkPods.anyTaskManagerBound(List.of(placeholder))).isFalse();
    // Someone else's pod with the label alone is not ours to price.
    placeholder.getMetadata().getLabels().remove(Names.MANAGED_BY_LABEL);
    assertThat(FlinkPods.billedTo(placeholder)).isEmpty();
    assertThat(FlinkPods.observe(placeholder)).isEmpty();
  }

  @Test
  void noSparesWhileThePlacementIsAboutToBeWrittenThenAsPlaced() {
    ObjectNode unplaced = PolicyFixtures.deployment("");
    ((ObjectNode) unplaced.get("metadata")).put("uid", "uid-1");
    // Not yet deployed, so the placement loop writes the placement: spares wait for it.
    assertThat(SpareDecision.decide(unplaced, governed(POLICY), null, SETTINGS))
        .isInstanceOfSatisfying(
            SpareDecision.Keep.class,
            k -> assertThat(k.reason()).isEqualTo(SpareDecision.KeepReason.PLACEMENT_PENDING));
    // Deployed without repairExisting, nothing will be written: spares follow the TaskManagers.
    ObjectNode deployed = unplaced.deepCopy();
    deployed.withObject("/status/reconciliationStatus").put("lastReconciledSpec", "{}");
    assertThat(DesiredDeployment.notYetDeployed(deployed)).isFalse();
    assertThat(SpareDecision.decide(deployed, governed(POLICY), null, SETTINGS))
        .isInstanceOf(SpareDecision.Create.class);
    assertThat(SpareDecision.decide(placed(""), governed(POLICY), null, SETTINGS))
        .isInstanceOf(SpareDecision.Create.class);
  }

  @Test
  void pauseImageRunsItsOwnEntrypoint() {
    var settings = new SpareDecision.Settings("registry.k8s.io/pause:3.10", "low");
    var decision = SpareDecision.decide(placed(""), governed(POLICY), null, settings);
    var pod = ((SpareDecision.Create) decision).spares().getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.k8s.io/pause:3.10");
    assertThat(pod.getContainers().get(0).getCommand()).isEmpty();
    assertThat(pod.getPriorityClassName()).isEqualTo("low");
  }

  @Test
  void kubernetesStyleResourcesAndAnImageOverrideInTheTemplateWin() {
    ObjectNode d =
        placed(
            """
            taskManager:
              resources: {requests: {cpu: 500m, memory: 3Gi}}
              podTemplate:
                spec:
                  containers:
                    - {name: flink-main-container, image: my/flink:1.20-custom}
            """);
    var decision = SpareDecision.decide(d, governed(POLICY), null, SETTINGS);
    var container =
        ((SpareDecision.Create) decision)
            .spares()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers();
    assertThat(container.get(0).getImage()).isEqualTo("my/flink:1.20-custom");
    assertThat(container.get(0).getResources().getRequests())
        .containsEntry("cpu", new Quantity("0.5"))
        .containsEntry("memory", new Quantity(Long.toString(3L << 30)));
  }

  @Test
  void aFixedPointWritesNothingAndAChangeUpdatesInPlace() {
    ObjectNode d = placed("");
    Deployment created =
        ((SpareDecision.Create) SpareDecision.decide(d, governed(POLICY), null, SETTINGS)).spares();
    // As stored: the API server adds defaults and a resourceVersion; the hash still matches.
    Deployment stored =
        new DeploymentBuilder(created)
            .editMetadata()
            .withResourceVersion("7")
            .addToLabels("team", "data")
            .endMetadata()
            .editSpec()
            .editTemplate()
            .editSpec()
            .withDnsPolicy("ClusterFirst")
            .withRestartPolicy("Always")
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    assertThat(SpareDecision.decide(d, governed(POLICY), stored, SETTINGS))
        .isInstanceOfSatisfying(
            SpareDecision.Keep.class,
            k -> assertThat(k.reason()).isEqualTo(SpareDecision.KeepReason.IN_SYNC));

    String three = PolicyFixtures.SPOT_TASKMANAGERS + "  spare: 3\n";
    var more = SpareDecision.decide(d, governed(three), stored, SETTINGS);
    assertThat(more).isInstanceOf(SpareDecision.Update.class);
    Deployment updated = ((SpareDecision.Update) more).spares();
    assertThat(updated.getSpec().getReplicas()).isEqualTo(3);
    assertThat(updated.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(updated.getMetadata().getLabels()).containsEntry("team", "data");

    ObjectNode bigger = placed("taskManager: {resource: {cpu: 4, memory: 8192m}}");
    assertThat(SpareDecision.decide(bigger, governed(POLICY), stored, SETTINGS))
        .isInstanceOf(SpareDecision.Update.class);
  }

  @Test
  void suspendedUngovernedOrSpareZeroDeletesOursOnly() {
    ObjectNode d = placed("");
    Deployment ours =
        ((SpareDecision.Create) SpareDecision.decide(d, governed(POLICY), null, SETTINGS)).spares();

    ObjectNode suspended = placed("job: {jarURI: local:///x.jar, state: suspended}");
    assertThat(SpareDecision.decide(suspended, governed(POLICY), ours, SETTINGS))
        .isInstanceOfSatisfying(
            SpareDecision.Delete.class, del -> assertThat(del.why()).contains("suspended"));
    assertThat(SpareDecision.decide(suspended, governed(POLICY), null, SETTINGS))
        .isInstanceOf(SpareDecision.Keep.class);
    assertThat(SpareDecision.decide(d, new PolicyResolver.NotOptedIn(), ours, SETTINGS))
        .isInstanceOf(SpareDecision.Delete.class);
    assertThat(SpareDecision.decide(d, governed(PolicyFixtures.SPOT_TASKMANAGERS), ours, SETTINGS))
        .isInstanceOf(SpareDecision.Delete.class);

    Deployment foreign =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("ticker-flinkspot-spare")
            .withLabels(Map.of("app", "mine"))
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    assertThat(SpareDecision.decide(d, governed(POLICY), foreign, SETTINGS))
        .isInstanceOfSatisfying(
            SpareDecision.Keep.class,
            k -> {
              assertThat(k.reason()).isEqualTo(SpareDecision.KeepReason.FOREIGN);
              assertThat(k.warning()).isTrue();
            });
    assertThat(SpareDecision.decide(suspended, governed(POLICY), foreign, SETTINGS))
        .isInstanceOf(SpareDecision.Keep.class);
  }

  @Test
  void anUnreadableTaskManagerSizeKeepsNothingAndSaysWhy() {
    ObjectNode d = placed("");
    ((ObjectNode) d.path("spec").path("taskManager").path("resource")).put("memory", "lots");
    assertThat(SpareDecision.decide(d, governed(POLICY), null, SETTINGS))
        .isInstanceOfSatisfying(
            SpareDecision.Keep.class,
            k -> {
              assertThat(k.reason()).isEqualTo(SpareDecision.KeepReason.UNREADABLE);
              assertThat(k.message()).contains("spec.taskManager.resource.memory", "2048m");
            });
  }
}
