package dev.flinkspot.cluster;

import static dev.flinkspot.testing.kube.TestNodes.CAPACITY_TYPE;
import static dev.flinkspot.testing.kube.TestNodes.INSTANCE_TYPE;
import static dev.flinkspot.testing.kube.TestNodes.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestNodes;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real kube-scheduler binds JobManager and TaskManager pods, labelled as the Flink operator
 * labels them in standalone mode, according to node affinity, tolerations and topology spread over
 * Nodes modelled on EKS managed node groups; and leaves a pod Pending when no node fits. The pod
 * specs are written by hand here; the controller's placement replaces them later.
 */
class SchedulingIT {

  /** A taint a Spot-only node group can declare (EKS itself adds none). */
  static final String SPOT_TAINT = "flinkspot.dev/capacity";

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> b.withScheduler(),
          kube ->
              TestNodes.createReady(
                  kube.client(),
                  TestNodes.onDemand("od-a", "m5.large", "eu-west-1a").resources("2", "8Gi"),
                  TestNodes.onDemand("od-b", "m5.large", "eu-west-1b").resources("2", "8Gi"),
                  spot("spot-a", "m5.xlarge", "eu-west-1a"),
                  spot("spot-b", "m5a.xlarge", "eu-west-1b"),
                  spot("spot-c", "m6i.xlarge", "eu-west-1c")));

  private static TestNodes.Spec spot(String name, String instanceType, String zone) {
    return TestNodes.spot(name, instanceType, zone)
        .resources("4", "16Gi")
        .nodegroup("tm-spot-" + instanceType.replace('.', '-'))
        .taint(SPOT_TAINT, "SPOT", "NoSchedule");
  }

  @Test
  void jobManagerGoesToOnDemandAndTaskManagersSpreadOverSpotZones() {
    KubernetesClient client = KUBE.client();
    client.resource(jobManager("placed")).create();
    List<String> tms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Pod tm = taskManager("placed", i, true);
      client.resource(tm).create();
      tms.add(tm.getMetadata().getName());
    }

    Node jmNode = nodeOf(client, "placed-jm");
    assertThat(jmNode.getMetadata().getLabels()).containsEntry(CAPACITY_TYPE, "ON_DEMAND");
    List<Node> tmNodes = tms.stream().map(n -> nodeOf(client, n)).toList();
    assertThat(tmNodes)
        .allSatisfy(
            n -> assertThat(n.getMetadata().getLabels()).containsEntry(CAPACITY_TYPE, "SPOT"));
    assertThat(labels(tmNodes, ZONE)).as("one TaskManager per zone").hasSize(3);
    assertThat(labels(tmNodes, INSTANCE_TYPE)).as("over several instance types").hasSize(3);
  }

  @Test
  void aSpotOnlyPodThatDoesNotTolerateTheTaintStaysPending() {
    KubernetesClient client = KUBE.client();
    Pod tm = taskManager("untolerated", 0, false);
    client.resource(tm).create();

    PodCondition scheduled = unschedulable(client, tm.getMetadata().getName());
    assertThat(scheduled.getMessage())
        .contains("didn't match Pod's node affinity")
        .contains("3 node(s) had untolerated taint");
    assertThat(
            client
                .pods()
                .inNamespace("default")
                .withName(tm.getMetadata().getName())
                .get()
                .getSpec()
                .getNodeName())
        .isNull();
  }

  @Test
  void aJobManagerLargerThanAnyOnDemandNodeStaysPending() {
    KubernetesClient client = KUBE.client();
    Pod jm = jobManager("huge");
    jm.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .setRequests(Map.of("cpu", new Quantity("8")));
    client.resource(jm).create();

    assertThat(unschedulable(client, "huge-jm").getMessage()).contains("Insufficient cpu");
  }

  private static Node nodeOf(KubernetesClient client, String pod) {
    Pod bound =
        client
            .pods()
            .inNamespace("default")
            .withName(pod)
            .waitUntilCondition(
                p -> p != null && p.getSpec().getNodeName() != null, 60, TimeUnit.SECONDS);
    return client.nodes().withName(bound.getSpec().getNodeName()).get();
  }

  private static PodCondition unschedulable(KubernetesClient client, String pod) {
    Pod pending =
        client
            .pods()
            .inNamespace("default")
            .withName(pod)
            .waitUntilCondition(
                p -> podScheduled(p) != null && "Unschedulable".equals(podScheduled(p).getReason()),
                60,
                TimeUnit.SECONDS);
    return podScheduled(pending);
  }

  private static PodCondition podScheduled(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .findFirst()
        .orElse(null);
  }

  private static Set<String> labels(List<Node> nodes, String key) {
    return nodes.stream()
        .map(n -> n.getMetadata().getLabels().get(key))
        .collect(Collectors.toSet());
  }

  /** A JobManager pod as the Flink operator labels it (standalone), required on On-Demand. */
  private static Pod jobManager(String app) {
    return flinkPod(app + "-jm", app, "jobmanager", "ON_DEMAND", "1", "2Gi", List.of(), false);
  }

  /** A TaskManager pod, required on Spot, spread evenly over zones. */
  private static Pod taskManager(String app, int index, boolean toleratesSpot) {
    List<Toleration> tolerations =
        toleratesSpot
            ? List.of(
                new TolerationBuilder()
                    .withKey(SPOT_TAINT)
                    .withOperator("Equal")
                    .withValue("SPOT")
                    .withEffect("NoSchedule")
                    .build())
            : List.of();
    return flinkPod(
        app + "-taskmanager-" + index, app, "taskmanager", "SPOT", "2", "4Gi", tolerations, true);
  }

  private static Pod flinkPod(
      String name,
      String app,
      String component,
      String capacityType,
      String cpu,
      String memory,
      List<Toleration> tolerations,
      boolean spreadOverZones) {
    Map<String, String> labels =
        Map.of("app", app, "component", component, "type", "flink-standalone-kubernetes");
    var spec =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("flink-main-container")
            .withImage("flink:1.20")
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
            .endResources()
            .endContainer()
            .withTolerations(tolerations)
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .withMatchExpressions(
                new NodeSelectorRequirementBuilder()
                    .withKey(CAPACITY_TYPE)
                    .withOperator("In")
                    .withValues(capacityType)
                    .build())
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity();
    if (spreadOverZones) {
      spec.withTopologySpreadConstraints(
          new TopologySpreadConstraintBuilder()
              .withMaxSkew(1)
              .withTopologyKey(ZONE)
              .withWhenUnsatisfiable("DoNotSchedule")
              .withNewLabelSelector()
              .withMatchLabels(Map.of("app", app, "component", component))
              .endLabelSelector()
              .build());
    }
    return spec.endSpec().build();
  }
}
