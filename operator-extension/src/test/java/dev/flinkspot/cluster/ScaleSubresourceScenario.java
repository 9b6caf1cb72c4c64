package dev.flinkspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FlinkDeployment scale subresource on a real API server, as the HPA and {@code kubectl scale}
 * use it: a scale writes {@code .spec.taskManager.replicas} and nothing else, and {@code /scale}
 * reports {@code .status.taskManager.replicas} and {@code .status.taskManager.labelSelector}.
 */
abstract class ScaleSubresourceScenario {

  static final String NAME = "scale-demo";
  static final String NAMESPACE = "default";
  static final String SELECTOR = "component=taskmanager,app=" + NAME;

  static final String FLINK_DEPLOYMENT =
      """
      apiVersion: flink.apache.org/v1beta1
      kind: FlinkDeployment
      metadata:
        name: scale-demo
        namespace: default
      spec:
        image: flink:1.20
        flinkVersion: v1_20
        mode: standalone
        serviceAccount: flink
        flinkConfiguration:
          scheduler-mode: REACTIVE
          taskmanager.numberOfTaskSlots: "2"
        jobManager:
          resource: {cpu: 1, memory: 1024m}
        taskManager:
          replicas: 2
          resource: {cpu: 1, memory: 2048m}
        job:
          jarURI: local:///opt/flink/examples/streaming/StateMachineExample.jar
          parallelism: 4
          upgradeMode: stateless
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestCluster cluster;

  protected ScaleSubresourceScenario(TestCluster cluster) {
    this.cluster = cluster;
  }

  private KubernetesClient client() {
    return cluster.client();
  }

  @BeforeEach
  void createFlinkDeploymentWithOperatorStatus() {
    FlinkCrds.install(client());
    createFlinkDeployment(client(), NAME);
    kubectl(operatorStatusPatch(NAME));
  }

  @AfterEach
  void deleteFlinkDeployment() {
    flinkDeployment().delete();
    flinkDeployment().waitUntilCondition(r -> r == null, 30, TimeUnit.SECONDS);
  }

  @Test
  void kubectlScaleChangesOnlyTheTaskManagerReplicas() {
    GenericKubernetesResource before = flinkDeployment().get();

    kubectl("scale", "flinkdeployment/" + NAME, "-n", NAMESPACE, "--replicas=5");

    GenericKubernetesResource after = flinkDeployment().get();
    Object replicas = after.get("spec", "taskManager", "replicas");
    assertThat(replicas).isEqualTo(5);
    Map<String, Object> expectedSpec = new LinkedHashMap<>(spec(before));
    @SuppressWarnings("unchecked")
    var taskManager = new LinkedHashMap<>((Map<String, Object>) expectedSpec.get("taskManager"));
    taskManager.put("replicas", 5);
    expectedSpec.put("taskManager", taskManager);
    assertThat(spec(after)).as("the rest of the spec is untouched").isEqualTo(expectedSpec);
    assertThat(after.getMetadata().getGeneration())
        .isEqualTo(before.getMetadata().getGeneration() + 1);
  }

  @Test
  void scaleSubresourceReportsSpecStatusAndSelectorAsTheCrdDeclares() throws Exception {
    kubectl("scale", "flinkdeployment/" + NAME, "-n", NAMESPACE, "--replicas=3");

    JsonNode scale = scale();
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(scale.path("status").path("replicas").asInt())
        .as("status.replicas comes from .status.taskManager.replicas")
        .isEqualTo(2);
    assertThat(scale.path("status").path("selector").asText()).isEqualTo(SELECTOR);
  }

  @Test
  void writingTheScaleSubresourceLikeTheHpaControllerSetsTaskManagerReplicas() throws Exception {
    kubectl(
        "patch",
        "flinkdeployment",
        NAME,
        "-n",
        NAMESPACE,
        "--subresource=scale",
        "--type=merge",
        "-p",
        "{\"spec\":{\"replicas\":7}}");

    Object replicas = flinkDeployment().get().get("spec", "taskManager", "replicas");
    assertThat(replicas).isEqualTo(7);
    assertThat(scale().path("spec").path("replicas").asInt()).isEqualTo(7);
  }

  /**
   * kubectl arguments that set the status the Flink operator reports for a standalone deployment
   * with 2 TaskManagers (what the scale subresource reads).
   */
  static String[] operatorStatusPatch(String name) {
    String selector = "component=taskmanager,app=" + name;
    return new String[] {
      "patch",
      "flinkdeployment",
      name,
      "-n",
      NAMESPACE,
      "--subresource=status",
      "--type=merge",
      "-p",
      "{\"status\":{\"taskManager\":{\"replicas\":2,\"labelSelector\":\"" + selector + "\"}}}"
    };
  }

  /** Creates the FlinkDeployment above under another name, as a generic resource. */
  static GenericKubernetesResource createFlinkDeployment(KubernetesClient client, String name) {
    var resource =
        client
            .getKubernetesSerialization()
            .unmarshal(FLINK_DEPLOYMENT, GenericKubernetesResource.class);
    resource.getMetadata().setName(name);
    return client
        .genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment")
        .inNamespace(NAMESPACE)
        .resource(resource)
        .create();
  }

  private JsonNode scale() throws Exception {
    String path =
        "/apis/flink.apache.org/v1beta1/namespaces/"
            + NAMESPACE
            + "/flinkdeployments/"
            + NAME
            + "/scale";
    return JSON.readTree(kubectl("get", "--raw", path).stdout());
  }

  private Resource<GenericKubernetesResource> flinkDeployment() {
    return client()
        .genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment")
        .inNamespace(NAMESPACE)
        .withName(NAME);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private CommandResult kubectl(String... args) {
    return cluster.kubectl(args).orThrow();
  }
}
