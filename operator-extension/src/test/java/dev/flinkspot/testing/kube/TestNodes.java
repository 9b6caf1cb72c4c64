package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes as API objects, modelled on EKS managed node groups: labels as EKS sets them (capacity
 * type, instance type, zone, hostname), capacity and allocatable, optional taints, created Ready.
 * No kubelet backs them, so run kube-controller-manager without its node-lifecycle controller.
 */
public final class TestNodes {

  public static final String CAPACITY_TYPE = "eks.amazonaws.com/capacityType";
  public static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String REGION = "topology.kubernetes.io/region";
  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String NODEGROUP = "eks.amazonaws.com/nodegroup";

  /** Taint the API server's TaintNodesByCondition admission puts on every new Node. */
  static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";

  private TestNodes() {}

  /** A node of an On-Demand managed node group. */
  public static Spec onDemand(String name, String instanceType, String zone) {
    return new Spec(name, "ON_DEMAND", instanceType, zone);
  }

  /** A node of a Spot managed node group. */
  public static Spec spot(String name, String instanceType, String zone) {
    return new Spec(name, "SPOT", instanceType, zone);
  }

  /**
   * Creates the nodes and makes them schedulable: status Ready with capacity, and without the
   * not-ready taint the API server adds on create (the node-lifecycle controller would remove it).
   */
  public static List<Node> createReady(KubernetesClient client, Spec... specs) {
    List<Node> created = new ArrayList<>();
    for (Spec spec : specs) {
      Node node = spec.build();
      client.nodes().resource(node).create();
      // Controllers (TTL, IPAM) may write the new Node meanwhile: retry our edits on a conflict.
      retryOnConflict(
          () -> client.nodes().withName(spec.name).editStatus(n -> withStatus(n, node)));
      created.add(
          retryOnConflict(
              () ->
                  client
                      .nodes()
                      .withName(spec.name)
                      .edit(
                          n ->
                              new NodeBuilder(n)
                                  .editSpec()
                                  .withTaints(
                                      n.getSpec().getTaints() == null
                                          ? List.of()
                                          : n.getSpec().getTaints().stream()
                                              .filter(t -> !NOT_READY_TAINT.equals(t.getKey()))
                                              .toList())
                                  .endSpec()
                                  .build())));
    }
    return created;
  }

  /**
   * Renews each node's Lease in {@code kube-node-lease} every 10 s, as a kubelet does, so that a
   * cluster running the node-lifecycle controller (k3s) keeps kubelet-less Nodes Ready. Stop it by
   * closing the result.
   */
  public static AutoCloseable renewLeases(KubernetesClient client, List<String> nodes) {
    var timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "test-node-leases");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> nodes.forEach(n -> renewLease(client, n)),
        0,
        10,
        java.util.concurrent.TimeUnit.SECONDS);
    return timer::shutdownNow;
  }

  private static void renewLease(KubernetesClient client, String node) {
    try {
      var now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
      client
          .leases()
          .inNamespace("kube-node-lease")
          .resource(
              new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .withNamespace("kube-node-lease")
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(node)
                  .withLeaseDurationSeconds(40)
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .serverSideApply();
    } catch (RuntimeException e) {
      // Best effort: the next round retries (and a closed client at the end is expected).
    }
  }

  /** Edits a node ({@link #retryOnConflict}: again if another writer got there first). */
  public static Node edit(
      KubernetesClient client, String name, java.util.function.UnaryOperator<Node> edit) {
    return retryOnConflict(() -> client.nodes().withName(name).edit(edit));
  }

  public static Node taint(Node n, String key, String value) {
    List<Taint> taints = withoutTaint(n, key);
    taints.add(new Taint("NoSchedule", key, null, value));
    n.getSpec().setTaints(taints);
    return n;
  }

  /** {@code n} without the taint {@code key}. */
  public static Node untaint(Node n, String key) {
    n.getSpec().setTaints(withoutTaint(n, key));
    return n;
  }

  private static List<Taint> withoutTaint(Node n, String key) {
    List<Taint> taints =
        n.getSpec().getTaints() == null
            ? new ArrayList<>()
            : new ArrayList<>(n.getSpec().getTaints());
    taints.removeIf(t -> t.getKey().equals(key));
    return taints;
  }

  /** Runs an optimistic edit again (it re-reads the object) when it lost a race: HTTP 409. */
  public static <T> T retryOnConflict(java.util.function.Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static Node withStatus(Node current, Node desired) {
    current.setStatus(desired.getStatus());
    return current;
  }

  /** A node to create: name, EKS labels, resources and taints. */
  public static final class Spec {
    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private String cpu = "4";
    private String memory = "16Gi";
    private String pods = "110";

    private Spec(String name, String capacityType, String instanceType, String zone) {
      this.name = name;
      labels.put(CAPACITY_TYPE, capacityType);
      labels.put(INSTANCE_TYPE, instanceType);
      labels.put(ZONE, zone);
      labels.put(REGION, zone.replaceAll("[a-z]$", ""));
      labels.put(HOSTNAME, name);
      labels.put("kubernetes.io/os", "linux");
      labels.put("kubernetes.io/arch", "amd64");
    }

    public String name() {
      return name;
    }

    public Spec resources(String cpu, String memory) {
      this.cpu = cpu;
      this.memory = memory;
      return this;
    }

    public Spec maxPods(int pods) {
      this.pods = Integer.toString(pods);
      return this;
    }

    public Spec label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** The managed node group the node belongs to ({@code eks.amazonaws.com/nodegroup}). */
    public Spec nodegroup(String nodegroup) {
      return label(NODEGROUP, nodegroup);
    }

    public Spec taint(String key, String value, String effect) {
      taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
      return this;
    }

    public Node build() {
      Map<String, Quantity> resources =
          Map.of(
              "cpu", new Quantity(cpu),
              "memory", new Quantity(memory),
              "pods", new Quantity(pods),
              "ephemeral-storage", new Quantity("100Gi"));
      String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      NodeCondition ready =
          new NodeConditionBuilder()
              .withType("Ready")
              .withStatus("True")
              .withReason("KubeletReady")
              .withMessage("flinkspot test node (no kubelet)")
              .withLastHeartbeatTime(now)
              .withLastTransitionTime(now)
              .build();
      return new NodeBuilder()
          .withNewMetadata()
          .withName(name)
          .withLabels(labels)
          .endMetadata()
          .withNewSpec()
          .withTaints(taints)
          .withProviderID(
              "aws:///" + labels.get(ZONE) + "/i-" + Integer.toHexString(name.hashCode()))
          .endSpec()
          .withNewStatus()
          .withCapacity(resources)
          .withAllocatable(resources)
          .withConditions(ready)
          .withNewNodeInfo()
          .withArchitecture("amd64")
          .withOperatingSystem("linux")
          .withKubeletVersion("v0.0.0-flinkspot-test")
          .withContainerRuntimeVersion("none://0")
          .withKernelVersion("")
          .withOsImage("")
          .withMachineID("")
          .withSystemUUID("")
          .withBootID("")
          .withKubeProxyVersion("")
          .endNodeInfo()
          .endStatus()
          .build();
    }
  }
}
