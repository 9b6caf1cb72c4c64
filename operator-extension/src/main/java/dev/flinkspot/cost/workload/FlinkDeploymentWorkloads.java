package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.UserInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;

/**
 * Derives a {@link FlinkWorkload} from a FlinkDeployment spec, as the Flink operator would run it.
 */
public final class FlinkDeploymentWorkloads {
  static final String SLOTS_KEY = "taskmanager.numberOfTaskSlots";
  static final String MAX_PARALLELISM_KEY = "pipeline.max-parallelism";
  static final String SCHEDULER_MODE_KEY = "scheduler-mode";

  private FlinkDeploymentWorkloads() {}

  /**
   * The workload of {@code deployment}; {@code parallelismOverride}, when present, replaces the
   * manifest's parallelism (and sizes the TaskManagers for it).
   */
  public static FlinkWorkload from(FlinkDeployment deployment, OptionalInt parallelismOverride) {
    return from(deployment, null, List.of(), parallelismOverride);
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
    String subject = "FlinkDeployment " + (name == null ? "(no metadata.name)" : name);
    FlinkDeploymentSpec spec = deployment.getSpec();
    if (spec == null) {
      throw new UserInputException(subject + ": spec is missing: a FlinkDeployment needs a spec");
    }
    Map<String, String> config =
        spec.getFlinkConfiguration() == null ? Map.of() : spec.getFlinkConfiguration();
    int slots =
        positiveInt(config.get(SLOTS_KEY), 1, subject, "spec.flinkConfiguration." + SLOTS_KEY);
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
    int jobManagerReplicas = spec.getJobManager().getReplicas();
    if (jobManagerReplicas < 1) {
      throw new UserInputException(
          subject
              + ": spec.jobManager.replicas = "
              + jobManagerReplicas
              + ": use 1, or 2+ with HA");
    }
    boolean standalone = spec.getMode() == KubernetesDeploymentMode.STANDALONE;
    boolean reactive = standalone && "reactive".equalsIgnoreCase(config.get(SCHEDULER_MODE_KEY));
    Integer replicas = spec.getTaskManager().getReplicas();
    if (replicas != null && replicas < 1) {
      throw new UserInputException(
          subject + ": spec.taskManager.replicas = " + replicas + ": use a positive number");
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
      parallelism = taskManagers * slots;
      source = "reactive: spec.taskManager.replicas × " + SLOTS_KEY;
      OptionalInt maxParallelism = optionalPositiveInt(config.get(MAX_PARALLELISM_KEY), subject);
      if (maxParallelism.isPresent() && maxParallelism.getAsInt() < parallelism) {
        notes.add(
            "reactive parallelism capped at "
                + MAX_PARALLELISM_KEY
                + " = "
                + maxParallelism.getAsInt()
                + "; "
                + (parallelism - maxParallelism.getAsInt())
                + " slots idle");
        parallelism = maxParallelism.getAsInt();
      }
    } else if (job != null && job.getParallelism() > 0) {
      parallelism = job.getParallelism();
      taskManagers = standalone && replicas != null ? replicas : ceilDiv(parallelism, slots);
      source = "spec.job.parallelism";
      if (taskManagers * slots < parallelism) {
        notes.add(
            "spec.taskManager.replicas × slots = "
                + taskManagers * slots
                + " < parallelism "
                + parallelism
                + ": the job cannot get all its slots");
      }
    } else if (standalone && replicas != null) {
      taskManagers = replicas;
      parallelism = replicas * slots;
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

  static int positiveInt(String text, int fallback, String subject, String field) {
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserInputException(
        subject + ": " + field + " = '" + text + "' must be a positive integer");
  }

  private static OptionalInt optionalPositiveInt(String text, String subject) {
    return text == null
        ? OptionalInt.empty()
        : OptionalInt.of(
            positiveInt(text, 1, subject, "spec.flinkConfiguration." + MAX_PARALLELISM_KEY));
  }

  static int ceilDiv(int a, int b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
