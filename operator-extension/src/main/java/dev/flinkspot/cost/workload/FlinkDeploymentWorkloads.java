package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.flink.FlinkConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;

/**
 * Derives a {@link FlinkWorkload} from a FlinkDeployment spec, as the Flink operator would run it.
 */
public final class FlinkDeploymentWorkloads {
  static final String SLOTS_KEY = FlinkConfiguration.TASK_SLOTS;
  static final String MAX_PARALLELISM_KEY = FlinkConfiguration.MAX_PARALLELISM;

  private FlinkDeploymentWorkloads() {}

  /**
   * The workload of {@code deployment}; {@code parallelismOverride}, when present, replaces the
   * manifest's parallelism (and sizes the TaskManagers for it).
   */
  public static FlinkWorkload from(FlinkDeployment deployment, OptionalInt parallelismOverride) {
    return from(deployment, null, List.of(), parallelismOverride);
  }

  /**
   * What one TaskManager pod of the raw FlinkDeployment {@code raw} requests, read as the operator
   * sizes it ({@link PodResources}); {@link UserInputException} naming the field when unreadable.
   */
  public static PodShape taskManagerShape(JsonNode raw) {
    String subject = "FlinkDeployment " + Bounds.shown(raw.path("metadata").path("name").asText());
    JsonNode taskManager = raw.path("spec").path("taskManager");
    JsonNode r = taskManager.path("resource");
    org.apache.flink.kubernetes.operator.api.spec.Resource resource = null;
    if (r.isObject()) {
      resource = new org.apache.flink.kubernetes.operator.api.spec.Resource();
      resource.setCpu(r.path("cpu").isNumber() ? r.path("cpu").asDouble() : null);
      resource.setMemory(r.path("memory").isTextual() ? r.path("memory").asText() : null);
    }
    return PodResources.shape(resource, taskManager.path("resources"), subject, "taskManager");
  }

  /**
   * The workload of {@code deployment}, reading from {@code raw} (its document as written) what the
   * 1.10 model does not keep: a {@code flinkVersion} of {@code v2_0} or later and Kubernetes-style
   * {@code resources}. A session cluster is sized for its {@code sessionJobs} (FlinkSessionJobs
   * naming it in {@code spec.deploymentName}), each of them an MSF application of its own.
   */
  public static FlinkWorkload from(
      FlinkDeployment deployment,
      JsonNode raw,
      List<JsonNode> sessionJobs,
      OptionalInt parallelismOverride) {
    String name = deployment.getMetadata() == null ? null : deployment.getMetadata().getName();
    if (name == null || name.isBlank()) {
      throw new UserInputException(
          "a FlinkDeployment has no metadata.name: name it, as kubectl apply would demand");
    }
    String subject = "FlinkDeployment " + Bounds.shown(name);
    FlinkDeploymentSpec spec = deployment.getSpec();
    if (spec == null) {
      throw new UserInputException(subject + ": spec is missing: a FlinkDeployment needs a spec");
    }
    Map<String, String> flinkConf =
        spec.getFlinkConfiguration() == null ? Map.of() : spec.getFlinkConfiguration();
    boundedIfSet(flinkConf, SLOTS_KEY, Bounds.MAX_SLOTS, subject);
    boundedIfSet(flinkConf, MAX_PARALLELISM_KEY, Bounds.MAX_PARALLELISM, subject);
    FlinkConfiguration config =
        FlinkConfiguration.of(
            spec.getFlinkConfiguration(),
            spec.getMode() == null ? null : spec.getMode().name(),
            spec.getJob() == null ? null : spec.getJob().getParallelism());
    int slots = config.slots();
    JsonNode rawSpec = raw == null ? null : raw.path("spec");
    PodShape jobManager =
        PodResources.shape(
            spec.getJobManager() == null ? null : spec.getJobManager().getResource(),
            rawSpec == null ? null : rawSpec.path("jobManager").path("resources"),
            subject,
            "jobManager");
    PodShape taskManager =
        PodResources.shape(
            spec.getTaskManager() == null ? null : spec.getTaskManager().getResource(),
            rawSpec == null ? null : rawSpec.path("taskManager").path("resources"),
            subject,
            "taskManager");
    int jobManagerReplicas =
        Bounds.count(
            subject + ": spec.jobManager.replicas", spec.getJobManager().getReplicas(), 1, 16);
    boolean standalone = config.standalone();
    boolean reactive = config.reactive();
    Integer replicas = spec.getTaskManager().getReplicas();
    if (replicas != null) {
      Bounds.count(subject + ": spec.taskManager.replicas", replicas, 1, Bounds.MAX_PARALLELISM);
    }
    if (spec.getJob() != null && spec.getJob().getParallelism() > Bounds.MAX_PARALLELISM) {
      Bounds.count(
          subject + ": spec.job.parallelism",
          spec.getJob().getParallelism(),
          1,
          Bounds.MAX_PARALLELISM);
    }
    List<String> notes = new ArrayList<>(MsfRuntimes.notes(raw == null ? null : rawSpec));
    if (jobManagerReplicas > 1) {
      notes.add(jobManagerReplicas + " JobManagers (HA) counted");
    }

    int parallelism;
    int taskManagers;
    String source;
    List<Integer> applications = List.of();
    JobSpec job = spec.getJob();
    List<Integer> sessionParallelisms =
        job == null ? SessionJobs.parallelisms(sessionJobs, subject) : List.of();
    if (parallelismOverride.isPresent()) {
      parallelism = parallelismOverride.getAsInt();
      taskManagers = ceilDiv(parallelism, slots);
      source = "--parallelism";
    } else if (reactive && replicas != null) {
      taskManagers = replicas;
      parallelism = slotCount(subject, taskManagers, slots);
      source = "reactive: spec.taskManager.replicas × " + SLOTS_KEY;
      var maxParallelism = config.configuredMaxParallelism();
      if (maxParallelism.isPresent() && maxParallelism.get() < parallelism) {
        notes.add(
            "reactive parallelism capped at "
                + MAX_PARALLELISM_KEY
                + " = "
                + maxParallelism.get()
                + "; "
                + (parallelism - maxParallelism.get())
                + " slots idle");
        parallelism = maxParallelism.get();
      }
    } else if (job != null && job.getParallelism() > 0) {
      parallelism = job.getParallelism();
      taskManagers = standalone && replicas != null ? replicas : ceilDiv(parallelism, slots);
      source = "spec.job.parallelism";
      if ((long) taskManagers * slots < parallelism) {
        notes.add(
            "spec.taskManager.replicas × slots = "
                + (long) taskManagers * slots
                + " < parallelism "
                + parallelism
                + ": the job cannot get all its slots");
      }
    } else if (standalone && replicas != null) {
      taskManagers = replicas;
      parallelism = slotCount(subject, replicas, slots);
      source = "spec.taskManager.replicas × " + SLOTS_KEY;
    } else if (!sessionParallelisms.isEmpty()) {
      applications = sessionParallelisms;
      parallelism = sessionParallelisms.stream().mapToInt(Integer::intValue).sum();
      taskManagers = ceilDiv(parallelism, slots);
      source = "the session cluster's " + SessionJobs.describe(sessionJobs);
      notes.add(
          "session cluster: each of its "
              + sessionParallelisms.size()
              + " FlinkSessionJobs is its own MSF application (its own orchestration KPU);"
              + " on EKS they share this cluster");
    } else if (job == null) {
      throw new UserInputException(
          subject
              + ": no spec.job and no FlinkSessionJob naming it in this file (a session"
              + " cluster), so its parallelism is unknown: add its FlinkSessionJobs to the file,"
              + " or pass --parallelism N");
    } else {
      throw new UserInputException(
          subject + ": spec.job.parallelism is not set: set it, or pass --parallelism N");
    }
    return new FlinkWorkload(
        name,
        deployment.getMetadata().getNamespace(),
        parallelism,
        source,
        jobManager,
        jobManagerReplicas,
        taskManager,
        taskManagers,
        slots,
        notes,
        applications);
  }

  /** Parallelism from replicas × slots, which must stay within Flink's limit. */
  private static int slotCount(String subject, int taskManagers, int slots) {
    return Bounds.count(
        subject + ": spec.taskManager.replicas × " + SLOTS_KEY,
        (long) taskManagers * slots,
        1,
        Bounds.MAX_PARALLELISM);
  }

  /**
   * A number set in the Flink configuration is refused unless it is an integer in 1..max: the cost
   * CLI must not price a guess, nor overflow on an absurd value.
   */
  private static void boundedIfSet(
      Map<String, String> config, String key, int max, String subject) {
    String text = config.get(key);
    if (text != null) {
      Bounds.count(subject + ": spec.flinkConfiguration." + key, text, 1, max);
    }
  }

  static int ceilDiv(int a, int b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
