package dev.flinkspot.cost.workload;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.flink.FlinkConfiguration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.Resource;

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
    String name = deployment.getMetadata() == null ? null : deployment.getMetadata().getName();
    String subject = "FlinkDeployment " + (name == null ? "(no metadata.name)" : name);
    FlinkDeploymentSpec spec = deployment.getSpec();
    if (spec == null) {
      throw new UserInputException(subject + ": spec is missing: a FlinkDeployment needs a spec");
    }
    FlinkConfiguration config =
        FlinkConfiguration.of(
            spec.getFlinkConfiguration(),
            spec.getMode() == null ? null : spec.getMode().name(),
            spec.getJob() == null ? null : spec.getJob().getParallelism());
    refuseUnreadable(config, SLOTS_KEY, subject);
    int slots = config.slots();
    PodShape jobManager =
        shape(
            spec.getJobManager() == null ? null : spec.getJobManager().getResource(),
            subject,
            "jobManager");
    PodShape taskManager =
        shape(
            spec.getTaskManager() == null ? null : spec.getTaskManager().getResource(),
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
    boolean standalone = config.standalone();
    boolean reactive = config.reactive();
    Integer replicas = spec.getTaskManager().getReplicas();
    if (replicas != null && replicas < 1) {
      throw new UserInputException(
          subject + ": spec.taskManager.replicas = " + replicas + ": use a positive number");
    }
    List<String> notes = new ArrayList<>();
    if (jobManagerReplicas > 1) {
      notes.add(jobManagerReplicas + " JobManagers (HA) counted");
    }

    int parallelism;
    int taskManagers;
    String source;
    JobSpec job = spec.getJob();
    if (parallelismOverride.isPresent()) {
      parallelism = parallelismOverride.getAsInt();
      taskManagers = ceilDiv(parallelism, slots);
      source = "--parallelism";
    } else if (reactive && replicas != null) {
      taskManagers = replicas;
      parallelism = taskManagers * slots;
      source = "reactive: spec.taskManager.replicas × " + SLOTS_KEY;
      refuseUnreadable(config, MAX_PARALLELISM_KEY, subject);
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
    } else if (job == null) {
      throw new UserInputException(
          subject
              + ": no spec.job (a session cluster), so its parallelism is unknown:"
              + " pass --parallelism N");
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
        notes);
  }

  private static PodShape shape(Resource resource, String subject, String component) {
    String field = "spec." + component + ".resource";
    if (resource == null) {
      throw new UserInputException(subject + ": " + field + " is missing: set cpu and memory");
    }
    if (resource.getCpu() == null || !(resource.getCpu() > 0)) {
      throw new UserInputException(
          subject + ": " + field + ".cpu must be a positive number of vCPUs (e.g. 1 or 0.5)");
    }
    if (resource.getMemory() == null || resource.getMemory().isBlank()) {
      throw new UserInputException(
          subject + ": " + field + ".memory is missing: e.g. 2048m or 2Gi");
    }
    long bytes;
    try {
      bytes = FlinkMemory.parseBytes(resource.getMemory());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UserInputException(
          subject
              + ": "
              + field
              + ".memory = '"
              + resource.getMemory()
              + "' is not a memory size: use e.g. 2048m or 2Gi");
    }
    if (bytes <= 0) {
      throw new UserInputException(subject + ": " + field + ".memory must be positive");
    }
    return new PodShape(BigDecimal.valueOf(resource.getCpu()), bytes);
  }

  /** A set but unreadable number is refused (the cost CLI must not price a guess). */
  private static void refuseUnreadable(FlinkConfiguration config, String key, String subject) {
    config
        .unreadable(key)
        .ifPresent(
            text -> {
              throw new UserInputException(
                  subject
                      + ": spec.flinkConfiguration."
                      + key
                      + " = '"
                      + text
                      + "' must be a positive integer");
            });
  }

  static int ceilDiv(int a, int b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
