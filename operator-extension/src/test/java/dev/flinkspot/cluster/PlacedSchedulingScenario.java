package dev.flinkspot.cluster;

import static dev.flinkspot.testing.kube.TestNodes.CAPACITY_TYPE;
import static dev.flinkspot.testing.kube.TestNodes.INSTANCE_TYPE;
import static dev.flinkspot.testing.kube.TestNodes.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.controller.ControllerUnderTest;
import dev.flinkspot.controller.FlinkDeployments;
import dev.flinkspot.controller.InProcessWebhook;
import dev.flinkspot.controller.PolicyIndex;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.RepoRoot;
import dev.flinkspot.testing.kube.StandaloneFlinkWorkloads;
import dev.flinkspot.testing.kube.TestCluster;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.testing.kube.TestNodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduling of the workloads the Flink operator (standalone mode) builds from a FlinkDeployment
 * placed by flinkspot: the FlinkDeployment ({@code k8s/examples/stock-ticker.yaml}) and the policy
 * ({@code k8s/flink/spot-taskmanagers-policy.yaml}) are created through the API server, which
 * stores the placed object (placed by our webhook, or by our reconciler where the API server cannot
 * call back into the test process); {@link StandaloneFlinkWorkloads} renders the JobManager and
 * TaskManager Deployments from the stored object with the operator's own factories; the cluster's
 * deployment and replicaset controllers create the pods and its kube-scheduler binds them.
 *
 * <p>Nodes model {@code eksctl/cluster.yaml}: the untainted On-Demand {@code system} group, the
 * On-Demand {@code jobmanagers-on-demand} group and the Spot groups {@code taskmanagers-spot-a/b}
 * (three 4 vCPU / 16 GiB types each, three zones) with their pool labels and taints, and EKS's
 * labels. One node group is not in {@code eksctl/}: an On-Demand TaskManager group, the capacity a
 * {@code spot: Preferred} policy falls back to (with {@code Required} it must stay unused).
 */
abstract class PlacedSchedulingScenario {

  static final String POOL = "flinkspot.dev/pool";

  /** The taint AWS Node Termination Handler puts on a Spot node on an interruption notice. */
  static final String SPOT_INTERRUPTION = "aws-node-termination-handler/spot-itn";

  /** How the stored FlinkDeployment gets its placement. */
  enum Placer {
    /** The API server calls our webhook in the test process (127.0.0.1). */
    WEBHOOK,
    /** The reconciler places it after creation (the webhook unreachable, as from a container). */
    RECONCILER
  }

  static final List<TestNodes.Spec> NODES =
      List.of(
          onDemand("system-1a", "m5.large", "us-east-1a", "system", false),
          onDemand("system-1b", "m5.large", "us-east-1b", "system", false),
          onDemand("jm-1a", "m5.large", "us-east-1a", "jobmanager", true),
          onDemand("jm-1b", "m5.large", "us-east-1b", "jobmanager", true),
          onDemand("jm-1c", "m5.large", "us-east-1c", "jobmanager", true),
          spot("tm-spot-a-1a", "m5.xlarge", "us-east-1a", "taskmanagers-spot-a"),
          spot("tm-spot-a-1b", "m5a.xlarge", "us-east-1b", "taskmanagers-spot-a"),
          spot("tm-spot-a-1c", "m5d.xlarge", "us-east-1c", "taskmanagers-spot-a"),
          spot("tm-spot-b-1a", "m6i.xlarge", "us-east-1a", "taskmanagers-spot-b"),
          spot("tm-spot-b-1b", "m6a.xlarge", "us-east-1b", "taskmanagers-spot-b"),
          spot("tm-spot-b-1c", "m7i.xlarge", "us-east-1c", "taskmanagers-spot-b"),
          TestNodes.onDemand("tm-od-1a", "m5.2xlarge", "us-east-1a")
              .resources("7910m", "31060Mi")
              .label(POOL, "taskmanager")
              .nodegroup("taskmanagers-on-demand")
              .taint(POOL, "taskmanager", "NoSchedule"));

  private final TestCluster cluster;
  private final Placer placer;

  PlacedSchedulingScenario(TestCluster cluster, Placer placer) {
    this.cluster = cluster;
    this.placer = placer;
  }

  // Allocatable as EKS reports it for these types (kubelet and system reservations taken off).
  private static TestNodes.Spec onDemand(
      String name, String type, String zone, String pool, boolean tainted) {
    var spec =
        TestNodes.onDemand(name, type, zone)
            .resources("1930m", "7134Mi")
            .label(POOL, pool)
            .nodegroup(tainted ? "jobmanagers-on-demand" : pool);
    return tainted ? spec.taint(POOL, pool, "NoSchedule") : spec;
  }

  private static TestNodes.Spec spot(String name, String type, String zone, String group) {
    return TestNodes.spot(name, type, zone)
        .resources("3920m", "15155Mi")
        .label(POOL, "taskmanager")
        .nodegroup(group)
        .taint(POOL, "taskmanager", "NoSchedule");
  }

  private static AutoCloseable leases;

  /** Idempotent: CRDs and Nodes (kept alive by their Leases) for every test of the class. */
  @BeforeEach
  void clusterReady() {
    KubernetesClient client = cluster.client();
    FlinkCrds.install(client);
    FlinkCrds.apply(client, FlinkCrds.flinkspot("flinkspotpolicies.flinkspot.dev"));
    for (TestNodes.Spec node : NODES) {
      if (client.nodes().withName(node.name()).get() == null) {
        TestNodes.createReady(client, node);
      }
    }
    if (leases == null) {
      leases = TestNodes.renewLeases(client, NODES.stream().map(TestNodes.Spec::name).toList());
    }
  }

  @AfterAll
  static void stopLeases() throws Exception {
    if (leases != null) {
      leases.close();
      leases = null;
    }
  }

  @Test
  void jobManagersOnOnDemandTaskManagersOnSpotAndNewOnesPendingWhenSpotIsGone() throws Exception {
    KubernetesClient client = cluster.client();
    String ns = namespace(client, "placed-required");
    place(client, ns, "Required", "ticker", 2, 4);

    List<Node> jmNodes = boundNodes(client, ns, "ticker", "jobmanager", 2);
    assertThat(jmNodes)
        .as("JobManagers only on the On-Demand JobManager group")
        .allSatisfy(n -> assertThat(labels(n)).containsEntry(CAPACITY_TYPE, "ON_DEMAND"))
        .allSatisfy(n -> assertThat(labels(n)).containsEntry(POOL, "jobmanager"));
    List<Node> tmNodes = boundNodes(client, ns, "ticker", "taskmanager", 4);
    assertThat(tmNodes).allSatisfy(n -> assertThat(labels(n)).containsEntry(CAPACITY_TYPE, "SPOT"));
    assertThat(values(tmNodes, INSTANCE_TYPE)).as("instance types").hasSizeGreaterThanOrEqualTo(2);
    assertThat(values(tmNodes, ZONE)).as("zones").hasSizeGreaterThanOrEqualTo(2);
    assertThat(tmPods(client, ns, "ticker"))
        .as("pods made by the real ReplicaSet controller")
        .allSatisfy(
            p ->
                assertThat(p.getMetadata().getOwnerReferences().get(0).getKind())
                    .isEqualTo("ReplicaSet"));
    assertThat(
            java.util.stream.Stream.concat(
                pods(client, ns, "ticker", "jobmanager").stream(),
                tmPods(client, ns, "ticker").stream()))
        .as("the operator's code copies the placed templates' governed label onto the pods")
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p.getMetadata().getLabels())
                    .containsEntry(
                        dev.flinkspot.kube.Names.GOVERNED_LABEL,
                        dev.flinkspot.kube.Names.GOVERNED));

    try (var gone = spotGone(client)) {
      scaleTaskManagers(client, ns, "ticker", 6);
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                List<Pod> pending =
                    tmPods(client, ns, "ticker").stream()
                        .filter(p -> p.getSpec().getNodeName() == null)
                        .toList();
                assertThat(pending).hasSize(2);
                assertThat(pending)
                    .allSatisfy(
                        p ->
                            assertThat(unschedulable(p))
                                .as("PodScheduled=False/Unschedulable")
                                .isNotNull());
              });
      assertThat(boundNodes(client, ns, "ticker", "taskmanager", 4))
          .as("the running TaskManagers stay where they are")
          .allSatisfy(n -> assertThat(labels(n)).containsEntry(CAPACITY_TYPE, "SPOT"));
    }
  }

  @Test
  void preferredSpotFallsBackToOnDemandWhenSpotIsGone() throws Exception {
    KubernetesClient client = cluster.client();
    String ns = namespace(client, "placed-preferred");
    place(client, ns, "Preferred", "elastic", 1, 2);
    assertThat(boundNodes(client, ns, "elastic", "jobmanager", 1))
        .allSatisfy(n -> assertThat(labels(n)).containsEntry(CAPACITY_TYPE, "ON_DEMAND"));
    Set<String> before =
        tmPods(client, ns, "elastic").stream()
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet());
    boundNodes(client, ns, "elastic", "taskmanager", 2);

    try (var gone = spotGone(client)) {
      scaleTaskManagers(client, ns, "elastic", 4);
      List<Node> newNodes = new ArrayList<>();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                newNodes.clear();
                for (Pod p : tmPods(client, ns, "elastic")) {
                  if (!before.contains(p.getMetadata().getName())) {
                    assertThat(p.getSpec().getNodeName()).as(p.getMetadata().getName()).isNotNull();
                    newNodes.add(client.nodes().withName(p.getSpec().getNodeName()).get());
                  }
                }
                assertThat(newNodes).hasSize(2);
              });
      assertThat(newNodes)
          .as("new TaskManagers on the On-Demand TaskManager group")
          .allSatisfy(n -> assertThat(labels(n)).containsEntry(CAPACITY_TYPE, "ON_DEMAND"))
          .allSatisfy(n -> assertThat(labels(n)).containsEntry(POOL, "taskmanager"));
    }
  }

  // ---- the flow: policy, placed FlinkDeployment, the operator's Deployments ------------------

  private void place(KubernetesClient client, String ns, String spot, String name, int jms, int tms)
      throws Exception {
    FlinkSpotPolicy policy = client.resource(examplePolicy(client, ns, spot)).create();
    var index = new PolicyIndex();
    index.put(policy);
    GenericKubernetesResource stored;
    if (placer == Placer.WEBHOOK) {
      try (var webhook = InProcessWebhook.start(client, "flinkspot-" + ns, index, "Fail", ns)) {
        // The API server takes the configuration up asynchronously: probe until it is called.
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  String probe = "probe-" + System.nanoTime();
                  var created = create(client, exampleDeployment(client, ns, probe, 1, 1));
                  FlinkDeployments.in(client).inNamespace(ns).withName(probe).delete();
                  assertThat(placed(client, created)).isTrue();
                });
        stored = create(client, exampleDeployment(client, ns, name, jms, tms));
      }
    } else {
      create(client, exampleDeployment(client, ns, name, jms, tms));
      new ControllerUnderTest(client).settle(ns);
      stored = FlinkDeployments.in(client).inNamespace(ns).withName(name).get();
    }
    assertThat(placed(client, stored))
        .as("the stored FlinkDeployment carries the placement")
        .isTrue();

    var rendered =
        StandaloneFlinkWorkloads.render(
            client.getKubernetesSerialization().convertValue(stored, JsonNode.class),
            client.getKubernetesSerialization());
    rendered.accompanying().forEach(r -> client.resource(r).create());
    client.resource(rendered.jobManager()).create();
    client.resource(rendered.taskManager()).create();
  }

  private static GenericKubernetesResource create(KubernetesClient client, ObjectNode d) {
    return FlinkDeployments.in(client)
        .inNamespace(d.path("metadata").path("namespace").asText())
        .resource(
            client.getKubernetesSerialization().convertValue(d, GenericKubernetesResource.class))
        .create();
  }

  /** JobManagers required on On-Demand and TaskManagers on the policy's capacity, as stored. */
  private static boolean placed(KubernetesClient client, GenericKubernetesResource d) {
    JsonNode json = client.getKubernetesSerialization().convertValue(d, JsonNode.class);
    String jm = Json.at(json, "spec", "jobManager", "podTemplate", "spec", "affinity").toString();
    JsonNode tm = Json.at(json, "spec", "taskManager", "podTemplate", "spec");
    return jm.contains(CAPACITY_TYPE)
        && jm.contains("ON_DEMAND")
        && tm.path("affinity").toString().contains("SPOT")
        && tm.path("tolerations").toString().contains("taskmanager");
  }

  /** {@code k8s/flink/spot-taskmanagers-policy.yaml} in {@code ns} with the given Spot mode. */
  private static FlinkSpotPolicy examplePolicy(KubernetesClient client, String ns, String spot) {
    ObjectNode yaml = readExample("k8s/flink/spot-taskmanagers-policy.yaml");
    ((ObjectNode) yaml.get("metadata")).put("namespace", ns);
    ((ObjectNode) yaml.path("spec").path("taskManager")).put("spot", spot);
    return client.getKubernetesSerialization().convertValue(yaml, FlinkSpotPolicy.class);
  }

  /** {@code k8s/examples/stock-ticker.yaml}, renamed, with a public image and these replicas. */
  private static ObjectNode exampleDeployment(
      KubernetesClient client, String ns, String name, int jms, int tms) {
    ObjectNode yaml = readExample("k8s/examples/stock-ticker.yaml");
    ((ObjectNode) yaml.get("metadata")).put("name", name).put("namespace", ns);
    ObjectNode spec = (ObjectNode) yaml.get("spec");
    spec.put("image", "flink:1.20");
    ((ObjectNode) spec.get("jobManager")).put("replicas", jms);
    ((ObjectNode) spec.get("taskManager")).put("replicas", tms);
    return yaml;
  }

  private static ObjectNode readExample(String path) {
    try {
      return (ObjectNode)
          PolicyFixtures.YAML.readTree(Files.readString(RepoRoot.find().resolve(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String namespace(KubernetesClient client, String prefix) {
    String ns = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    TestNamespaces.create(client, ns);
    // The pods run as spec.serviceAccount (the ServiceAccount admission plugin wants it to exist).
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("flink").endMetadata().build())
        .create();
    return ns;
  }

  /**
   * What the operator does when the TaskManager count changes in standalone reactive mode: scale
   * the TaskManager Deployment ({@code StandaloneFlinkService.scale}).
   */
  private static void scaleTaskManagers(KubernetesClient client, String ns, String name, int n) {
    client.apps().deployments().inNamespace(ns).withName(name + "-taskmanager").scale(n);
  }

  // ---- Spot capacity gone: group a cordoned (EKS drains a node group so), group b tainted as the
  // Node Termination Handler taints on an interruption notice. Undone on close.

  private static AutoCloseable spotGone(KubernetesClient client) {
    List<String> spot =
        NODES.stream()
            .filter(n -> "SPOT".equals(n.build().getMetadata().getLabels().get(CAPACITY_TYPE)))
            .map(TestNodes.Spec::name)
            .toList();
    for (String node : spot) {
      TestNodes.retryOnConflict(
          () ->
              client
                  .nodes()
                  .withName(node)
                  .edit(
                      n ->
                          node.contains("spot-a")
                              ? new NodeBuilder(n)
                                  .editSpec()
                                  .withUnschedulable(true)
                                  .endSpec()
                                  .build()
                              : new NodeBuilder(n)
                                  .editSpec()
                                  .addToTaints(
                                      new TaintBuilder()
                                          .withKey(SPOT_INTERRUPTION)
                                          .withValue("interrupted")
                                          .withEffect("NoSchedule")
                                          .build())
                                  .endSpec()
                                  .build()));
    }
    return () -> {
      for (String node : spot) {
        TestNodes.retryOnConflict(
            () ->
                client
                    .nodes()
                    .withName(node)
                    .edit(
                        n -> {
                          n.getSpec().setUnschedulable(null);
                          n.getSpec()
                              .setTaints(
                                  n.getSpec().getTaints().stream()
                                      .filter(t -> !SPOT_INTERRUPTION.equals(t.getKey()))
                                      .toList());
                          return n;
                        }));
      }
    };
  }

  // ---- reading pods and nodes --------------------------------------------------------------

  private static List<Pod> pods(KubernetesClient client, String ns, String app, String component) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabels(
            Map.of("app", app, "component", component, "type", "flink-standalone-kubernetes"))
        .list()
        .getItems();
  }

  private static List<Pod> tmPods(KubernetesClient client, String ns, String app) {
    return pods(client, ns, app, "taskmanager");
  }

  /** Waits until exactly {@code count} pods of the component are bound; returns their nodes. */
  private static List<Node> boundNodes(
      KubernetesClient client, String ns, String app, String component, int count) {
    List<Node> nodes = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              List<Pod> bound =
                  pods(client, ns, app, component).stream()
                      .filter(p -> p.getSpec().getNodeName() != null)
                      .toList();
              assertThat(bound).as(component + " pods bound").hasSize(count);
              nodes.clear();
              bound.forEach(
                  p -> nodes.add(client.nodes().withName(p.getSpec().getNodeName()).get()));
            });
    return nodes;
  }

  private static PodCondition unschedulable(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> "Unschedulable".equals(c.getReason()))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels();
  }

  private static Set<String> values(List<Node> nodes, String key) {
    return nodes.stream().map(n -> labels(n).get(key)).collect(Collectors.toSet());
  }
}
