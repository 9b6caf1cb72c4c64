package dev.flinkspot.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.placement.FlinkTemplateMerge;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.client.deployment.ClusterSpecification;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.kubernetes.KubernetesClusterClientFactory;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.apache.flink.kubernetes.kubeclient.Fabric8FlinkKubeClient;
import org.apache.flink.kubernetes.kubeclient.FlinkPod;
import org.apache.flink.kubernetes.kubeclient.KubernetesJobManagerSpecification;
import org.apache.flink.kubernetes.operator.kubeclient.factory.StandaloneKubernetesJobManagerFactory;
import org.apache.flink.kubernetes.operator.kubeclient.factory.StandaloneKubernetesTaskManagerFactory;
import org.apache.flink.kubernetes.operator.kubeclient.parameters.StandaloneKubernetesJobManagerParameters;
import org.apache.flink.kubernetes.operator.kubeclient.parameters.StandaloneKubernetesTaskManagerParameters;
import org.apache.flink.kubernetes.operator.standalone.StandaloneKubernetesConfigOptionsInternal;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.utils.Serialization;
import org.apache.flink.kubernetes.utils.Constants;
import org.apache.flink.kubernetes.utils.KubernetesUtils;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;

/**
 * The JobManager and TaskManager workloads the Apache Flink Kubernetes Operator 1.10 creates for a
 * standalone-mode FlinkDeployment, rendered from the stored (placed) object.
 *
 * <p>The rendering itself is the operator's own code: {@code StandaloneKubernetesJobManagerFactory}
 * and {@code StandaloneKubernetesTaskManagerFactory} from its {@code flink-kubernetes-standalone}
 * 1.10.0 jar (Maven Central), fed with Flink's {@code KubernetesClusterClientFactory} cluster
 * specification and Flink's pod-template loading ({@code KubernetesUtils.loadPodFromTemplateFile}),
 * as {@code KubernetesStandaloneClusterDescriptor.deployClusterInternal} does. The operator's main
 * jar ({@code flink-kubernetes-operator}) is not published to Maven Central, so the step before it
 * — spec to Flink configuration — is done here like the operator does it, following
 * flink-kubernetes-operator {@code release-1.10.0}:
 *
 * <ul>
 *   <li>{@code config/FlinkConfigBuilder.java}: {@code applyFlinkConfiguration} (flinkConfiguration
 *       entries), {@code applyImage}, {@code applyServiceAccount}, {@code applyPodTemplate}
 *       (top-level template merged with each component's, JobManager startup probe added, written
 *       to a file for {@code kubernetes.pod-template-file.*}), {@code applyJobManagerSpec} / {@code
 *       applyTaskManagerSpec} (memory to {@code *.memory.process.size}, cpu to {@code
 *       kubernetes.*.cpu.amount}, replicas), {@code applyJobOrSessionSpec} (application or session
 *       cluster mode), {@code build} (namespace, cluster id);
 *   <li>{@code utils/FlinkUtils.java}: {@code mergePodTemplates} (positional array merge, here
 *       {@link FlinkTemplateMerge}) and {@code addStartupProbe};
 *   <li>{@code reconciler/deployment/AbstractFlinkResourceReconciler.java}: {@code
 *       setOwnerReference} (the FlinkDeployment owns the JobManager Deployment, not as controller).
 * </ul>
 *
 * Not rendered: log configuration files, ephemeral storage, the job's savepoint/upgrade settings —
 * none affect where the pods are scheduled.
 */
public final class StandaloneFlinkWorkloads {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The rendered objects, in our Fabric8 model, ready to create. */
  public record Rendered(
      Deployment jobManager, Deployment taskManager, List<HasMetadata> accompanying) {}

  private StandaloneFlinkWorkloads() {}

  /** Renders the workloads of {@code flinkDeployment} (the stored object, with uid). */
  public static Rendered render(JsonNode flinkDeployment, KubernetesSerialization ours) {
    Configuration conf = configuration(flinkDeployment);
    // KubernetesStandaloneClusterDescriptor.deployClusterInternal: fixed ports, HA cluster id.
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, BlobServerOptions.PORT, Constants.BLOB_SERVER_PORT);
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, TaskManagerOptions.RPC_PORT, Constants.TASK_MANAGER_RPC_PORT);
    KubernetesUtils.checkAndUpdatePortConfigOption(
        conf, RestOptions.BIND_PORT, Constants.REST_PORT);
    if (HighAvailabilityMode.isHighAvailabilityModeActivated(conf)) {
      conf.set(HighAvailabilityOptions.HA_CLUSTER_ID, conf.get(KubernetesConfigOptions.CLUSTER_ID));
      KubernetesUtils.checkAndUpdatePortConfigOption(
          conf,
          HighAvailabilityOptions.HA_JOB_MANAGER_PORT_RANGE,
          conf.get(JobManagerOptions.PORT));
    }
    ClusterSpecification cluster =
        new KubernetesClusterClientFactory().getClusterSpecification(conf);
    ExecutorService io = Executors.newSingleThreadExecutor();
    // A Flink kube client that never connects: loading a pod template file is local.
    try (NamespacedKubernetesClient shaded =
            new KubernetesClientBuilder().build().adapt(NamespacedKubernetesClient.class);
        var flinkClient = new Fabric8FlinkKubeClient(conf, shaded, io)) {
      var jmParameters = new StandaloneKubernetesJobManagerParameters(conf, cluster);
      KubernetesJobManagerSpecification jm =
          StandaloneKubernetesJobManagerFactory.buildKubernetesJobManagerSpecification(
              pod(flinkClient, jmParameters.getPodTemplateFilePath()), jmParameters);
      var tmParameters = new StandaloneKubernetesTaskManagerParameters(conf, cluster);
      var tm =
          StandaloneKubernetesTaskManagerFactory.buildKubernetesTaskManagerDeployment(
              pod(flinkClient, tmParameters.getPodTemplateFilePath()), tmParameters);
      List<HasMetadata> accompanying = new ArrayList<>();
      for (var r : jm.getAccompanyingResources()) {
        accompanying.add(ours.unmarshal(Serialization.asJson(r), GenericKubernetesResource.class));
      }
      var rendered =
          new Rendered(
              ours.unmarshal(Serialization.asJson(jm.getDeployment()), Deployment.class),
              ours.unmarshal(Serialization.asJson(tm), Deployment.class),
              accompanying);
      // The factories leave the namespace to the Flink kube client, which creates everything in
      // kubernetes.namespace.
      String namespace = conf.get(KubernetesConfigOptions.NAMESPACE);
      rendered.jobManager().getMetadata().setNamespace(namespace);
      rendered.taskManager().getMetadata().setNamespace(namespace);
      accompanying.forEach(r -> r.getMetadata().setNamespace(namespace));
      return rendered;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      io.shutdownNow();
      deleteTemplates(conf);
    }
  }

  private static FlinkPod pod(Fabric8FlinkKubeClient client, java.util.Optional<File> template) {
    return template
        .map(f -> KubernetesUtils.loadPodFromTemplateFile(client, f, Constants.MAIN_CONTAINER_NAME))
        .orElse(new FlinkPod.Builder().build());
  }

  /** The Flink configuration the operator derives from the FlinkDeployment (see class doc). */
  static Configuration configuration(JsonNode flinkDeployment) {
    JsonNode meta = flinkDeployment.path("metadata");
    JsonNode spec = flinkDeployment.path("spec");
    String name = meta.path("name").asText();
    Configuration conf = new Configuration();
    spec.path("flinkConfiguration")
        .fields()
        .forEachRemaining(e -> conf.setString(e.getKey(), e.getValue().asText()));
    conf.set(
        KubernetesConfigOptions.REST_SERVICE_EXPOSED_TYPE,
        KubernetesConfigOptions.ServiceExposedType.ClusterIP);
    if (spec.hasNonNull("image")) {
      conf.set(KubernetesConfigOptions.CONTAINER_IMAGE, spec.get("image").asText());
    }
    if (spec.hasNonNull("serviceAccount")) {
      conf.set(
          KubernetesConfigOptions.KUBERNETES_SERVICE_ACCOUNT, spec.get("serviceAccount").asText());
    }
    JsonNode top = spec.path("podTemplate");
    ObjectNode jmTemplate = template(top, spec.path("jobManager").path("podTemplate"));
    addStartupProbe(jmTemplate);
    conf.set(KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE, writeTemplate(jmTemplate));
    ObjectNode tmTemplate = template(top, spec.path("taskManager").path("podTemplate"));
    if (!tmTemplate.isEmpty()) {
      conf.set(KubernetesConfigOptions.TASK_MANAGER_POD_TEMPLATE, writeTemplate(tmTemplate));
    }
    JsonNode jm = spec.path("jobManager");
    resource(conf, jm.path("resource"), JobManagerOptions.TOTAL_PROCESS_MEMORY.key(), true);
    if (jm.path("replicas").asInt(0) > 0) {
      conf.set(KubernetesConfigOptions.KUBERNETES_JOBMANAGER_REPLICAS, jm.get("replicas").asInt());
    }
    JsonNode tm = spec.path("taskManager");
    resource(conf, tm.path("resource"), TaskManagerOptions.TOTAL_PROCESS_MEMORY.key(), false);
    if (tm.path("replicas").asInt(0) > 0) {
      conf.set(
          StandaloneKubernetesConfigOptionsInternal.KUBERNETES_TASKMANAGER_REPLICAS,
          tm.get("replicas").asInt());
    }
    conf.set(
        StandaloneKubernetesConfigOptionsInternal.CLUSTER_MODE,
        spec.hasNonNull("job")
            ? StandaloneKubernetesConfigOptionsInternal.ClusterMode.APPLICATION
            : StandaloneKubernetesConfigOptionsInternal.ClusterMode.SESSION);
    conf.setString("execution.target", "remote");
    if (meta.hasNonNull("uid")) {
      conf.set(
          KubernetesConfigOptions.JOB_MANAGER_OWNER_REFERENCE,
          List.of(
              Map.of(
                  "apiVersion",
                  flinkDeployment.path("apiVersion").asText(),
                  "kind",
                  flinkDeployment.path("kind").asText(),
                  "name",
                  name,
                  "uid",
                  meta.get("uid").asText(),
                  "blockOwnerDeletion",
                  "true",
                  "controller",
                  "false")));
    }
    conf.set(KubernetesConfigOptions.NAMESPACE, meta.path("namespace").asText());
    conf.set(KubernetesConfigOptions.CLUSTER_ID, name);
    return conf;
  }

  private static ObjectNode template(JsonNode top, JsonNode component) {
    JsonNode merged = FlinkTemplateMerge.effective(top, component);
    return merged == null || merged.isMissingNode()
        ? JSON.createObjectNode()
        : (ObjectNode) merged.deepCopy();
  }

  /** {@code FlinkUtils.addStartupProbe}: GET /config on the rest port, until it answers. */
  private static void addStartupProbe(ObjectNode template) {
    ObjectNode spec = template.with("spec");
    var containers = spec.withArray("containers");
    ObjectNode main = null;
    for (JsonNode c : containers) {
      if (Constants.MAIN_CONTAINER_NAME.equals(c.path("name").asText())) {
        main = (ObjectNode) c;
      }
    }
    if (main == null) {
      main = containers.addObject().put("name", Constants.MAIN_CONTAINER_NAME);
    }
    if (!main.has("startupProbe")) {
      ObjectNode probe = main.putObject("startupProbe");
      probe.put("failureThreshold", Integer.MAX_VALUE).put("periodSeconds", 1);
      probe.putObject("httpGet").put("path", "/config").put("port", Constants.REST_PORT_NAME);
    }
  }

  /** {@code FlinkConfigBuilder.setResource}: memory as a Flink MemorySize, cpu as a double. */
  private static void resource(
      Configuration conf, JsonNode resource, String memoryKey, boolean jm) {
    if (resource.hasNonNull("memory")) {
      conf.setString(memoryKey, MemorySize.parse(resource.get("memory").asText()).toString());
    }
    if (resource.hasNonNull("cpu")) {
      conf.set(
          jm ? KubernetesConfigOptions.JOB_MANAGER_CPU : KubernetesConfigOptions.TASK_MANAGER_CPU,
          resource.get("cpu").asDouble());
    }
  }

  private static String writeTemplate(ObjectNode template) {
    try {
      File file = File.createTempFile("flinkspot-podTemplate-", ".json");
      Files.writeString(file.toPath(), JSON.writeValueAsString(template));
      return file.getAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTemplates(Configuration conf) {
    conf.getOptional(KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE)
        .ifPresent(f -> new File(f).delete());
    conf.getOptional(KubernetesConfigOptions.TASK_MANAGER_POD_TEMPLATE)
        .ifPresent(f -> new File(f).delete());
  }
}
