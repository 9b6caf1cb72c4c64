package dev.flinkspot.scaling;

import static dev.flinkspot.scaling.Finding.error;
import static dev.flinkspot.scaling.Finding.warning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.flink.FlinkConfiguration;
import dev.flinkspot.scaling.Finding.Reason;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the FlinkDeployment settings that silently break Reactive Mode scaling, one check per trap.
 * Pure; shared by the webhook (warnings, or a denial for errors when enforced), the controller
 * (Events) and the policy status (conditions).
 */
public final class ReactiveValidator {

  private static final Set<String> NO_RESTART = Set.of("none", "off", "disable");

  private ReactiveValidator() {}

  /** The findings for a deployment (raw JSON, with {@code spec}) under a scaling policy. */
  public static List<Finding> validate(JsonNode deployment, ScalingPolicy policy) {
    return validate(deployment, policy, List.of());
  }

  /**
   * The findings, also checking the HPAs seen in the deployment's namespace (those targeting other
   * resources are ignored).
   */
  public static List<Finding> validate(
      JsonNode deployment, ScalingPolicy policy, List<HorizontalPodAutoscaler> hpas) {
    if (policy == null || !policy.enabled()) {
      return List.of();
    }
    FlinkConfiguration conf = FlinkConfiguration.of(deployment);
    JsonNode spec = deployment.path("spec");
    List<Finding> out = new ArrayList<>();
    nativeMode(spec).ifPresent(out::add);
    notReactive(conf).ifPresent(out::add);
    jobParallelism(spec).ifPresent(out::add);
    maxParallelism(conf, policy).ifPresent(out::add);
    restartStrategy(conf).ifPresent(out::add);
    checkpointing(conf, policy).ifPresent(out::add);
    operatorAutoscaler(conf).ifPresent(out::add);
    replicasAbovePolicy(spec, policy).ifPresent(out::add);
    out.addAll(flinkOneKeys(conf, FlinkVersionKeys.Line.of(deployment)));
    String name = deployment.path("metadata").path("name").asText();
    for (HorizontalPodAutoscaler hpa : hpas == null ? List.<HorizontalPodAutoscaler>of() : hpas) {
      if (HpaSpecs.targets(hpa, name)) {
        out.addAll(hpa(hpa, name, policy));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The Flink 1.x adaptive-scheduler keys set on a 2.x deployment (FLIP-472 renamed them): still
   * read as deprecated fallbacks, or, for {@code scaling-interval.max}, silently ignored.
   */
  static List<Finding> flinkOneKeys(FlinkConfiguration conf, FlinkVersionKeys.Line line) {
    if (line != FlinkVersionKeys.Line.V2) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    for (FlinkVersionKeys.Renamed renamed : FlinkVersionKeys.renamedInTwo()) {
      if (!conf.has(renamed.oldKey())) {
        continue;
      }
      String replacement =
          renamed
              .newKey()
              .orElse(
                  FlinkVersionKeys.key(
                          FlinkVersionKeys.Setting.COOLDOWN_AFTER_RESCALING,
                          FlinkVersionKeys.Line.V2)
                      + " and "
                      + FlinkVersionKeys.key(
                          FlinkVersionKeys.Setting.EXECUTING_RESOURCE_STABILIZATION_TIMEOUT,
                          FlinkVersionKeys.Line.V2));
      out.add(
          warning(
              Reason.FlinkOneKeyOnFlinkTwo,
              "spec.flinkConfiguration." + renamed.oldKey(),
              renamed.oldKey()
                  + " is a Flink 1.x key; "
                  + (renamed.stillRead()
                      ? "Flink 2.x still reads it as a deprecated fallback of " + replacement
                      : "Flink 2.x no longer uses it, so it does nothing here")
                  + " (FLIP-472): set "
                  + replacement
                  + " instead"));
    }
    return out;
  }

  static Optional<Finding> nativeMode(JsonNode spec) {
    String mode = spec.path("mode").asText("");
    if (mode.isEmpty() || "native".equalsIgnoreCase(mode)) {
      return Optional.of(
          error(
              Reason.NativeMode,
              "spec.mode",
              (mode.isEmpty() ? "spec.mode is unset, so the Flink operator uses native" : "native")
                  + " mode: Reactive Mode runs only as a standalone application cluster, and an"
                  + " HPA changing taskManager.replicas of a native deployment redeploys the whole"
                  + " cluster each time; set spec.mode: standalone"));
    }
    return Optional.empty();
  }

  static Optional<Finding> notReactive(FlinkConfiguration conf) {
    Optional<String> mode = conf.get(FlinkKeys.SCHEDULER_MODE);
    if (mode.map(m -> m.equalsIgnoreCase("reactive")).orElse(false)) {
      return Optional.empty();
    }
    return Optional.of(
        error(
            Reason.NotReactive,
            "spec.flinkConfiguration." + FlinkKeys.SCHEDULER_MODE,
            "scheduler-mode is "
                + mode.orElse("unset")
                + ": without REACTIVE each HPA change of taskManager.replicas is a full redeploy"
                + " at a fixed parallelism; set flinkConfiguration.\"scheduler-mode\": REACTIVE"));
  }

  static Optional<Finding> jobParallelism(JsonNode spec) {
    JsonNode parallelism = spec.path("job").path("parallelism");
    if (parallelism.isMissingNode() || parallelism.isNull()) {
      return Optional.empty();
    }
    JsonNode replicas = spec.path("taskManager").path("replicas");
    String next =
        replicas.isMissingNode() || replicas.isNull()
            ? " (the operator derives taskManager.replicas from it until the HPA sets them)"
            : " next to spec.taskManager.replicas (" + replicas.asText() + ")";
    return Optional.of(
        warning(
            Reason.JobParallelismSet,
            "spec.job.parallelism",
            "spec.job.parallelism ("
                + parallelism.asText()
                + ") is hard-set"
                + next
                + ": in Reactive Mode the TaskManagers' slots decide the parallelism, so this value"
                + " is not what runs and editing it redeploys the cluster; remove"
                + " spec.job.parallelism (and any setParallelism in the job's code)"));
  }

  static Optional<Finding> maxParallelism(FlinkConfiguration conf, ScalingPolicy policy) {
    int slots = conf.slots();
    int maxParallelism = conf.maxParallelism();
    long capacity = (long) policy.maxTaskManagers() * slots;
    if (capacity <= maxParallelism) {
      return Optional.empty();
    }
    int usable = Math.max(1, maxParallelism / slots);
    String configured =
        conf.configuredMaxParallelism().isPresent()
            ? "pipeline.max-parallelism (" + maxParallelism + ")"
            : "pipeline.max-parallelism is unset, so Flink uses " + maxParallelism + ", which";
    return Optional.of(
        warning(
            Reason.MaxParallelismBelowCapacity,
            "spec.flinkConfiguration." + FlinkKeys.MAX_PARALLELISM,
            configured
                + " is below scaling.maxTaskManagers ("
                + policy.maxTaskManagers()
                + ") x taskmanager.numberOfTaskSlots ("
                + slots
                + ") = "
                + capacity
                + ": slots beyond it are wasted, so the HPA is capped at "
                + usable
                + " TaskManagers; lower scaling.maxTaskManagers to "
                + usable
                + ", or raise pipeline.max-parallelism to at least "
                + capacity
                + " (a new max parallelism cannot restore existing keyed state: set it before"
                + " the first run)"));
  }

  static Optional<Finding> restartStrategy(FlinkConfiguration conf) {
    Optional<String> type =
        conf.get(FlinkKeys.RESTART_STRATEGY_TYPE)
            .or(() -> conf.get(FlinkKeys.RESTART_STRATEGY_LEGACY));
    String field = "spec.flinkConfiguration." + FlinkKeys.RESTART_STRATEGY_TYPE;
    if (type.isPresent() && NO_RESTART.contains(type.get().toLowerCase(Locale.ROOT))) {
      return Optional.of(
          error(
              Reason.NoRestartStrategy,
              field,
              "restart-strategy.type is "
                  + type.get()
                  + ": a TaskManager removed by the HPA or reclaimed by Spot fails the job instead"
                  + " of rescaling it; set restart-strategy.type: "
                  + ReactiveDefaults.RESTART_STRATEGY));
    }
    if (type.isEmpty() && !checkpointingOn(conf)) {
      return Optional.of(
          warning(
              Reason.NoRestartStrategy,
              field,
              "no restart strategy and no checkpointing, so Flink restarts nothing: a"
                  + " TaskManager removed by the HPA or reclaimed by Spot fails the job; set"
                  + " restart-strategy.type: "
                  + ReactiveDefaults.RESTART_STRATEGY));
    }
    return Optional.empty();
  }

  static Optional<Finding> checkpointing(FlinkConfiguration conf, ScalingPolicy policy) {
    if (checkpointingOn(conf)) {
      return Optional.empty();
    }
    String message =
        "execution.checkpointing.interval is "
            + conf.get(FlinkKeys.CHECKPOINTING_INTERVAL).orElse("unset")
            + ": every rescale restarts the reactive job from scratch and loses its state; set"
            + " flinkConfiguration.\"execution.checkpointing.interval\" (e.g. 30s) and a durable"
            + " execution.checkpointing.dir (also when the job enables checkpointing in code, so"
            + " it can be checked here)";
    String field = "spec.flinkConfiguration." + FlinkKeys.CHECKPOINTING_INTERVAL;
    return Optional.of(
        policy.enforceCheckpointing()
            ? error(
                Reason.CheckpointingOff, field, message + " (the policy enforces checkpointing)")
            : warning(Reason.CheckpointingOff, field, message));
  }

  static Optional<Finding> operatorAutoscaler(FlinkConfiguration conf) {
    for (String key :
        List.of(
            FlinkKeys.OPERATOR_AUTOSCALER_ENABLED, FlinkKeys.OPERATOR_AUTOSCALER_ENABLED_LEGACY)) {
      if (conf.get(key).map("true"::equalsIgnoreCase).orElse(false)) {
        return Optional.of(
            error(
                Reason.OperatorAutoscalerEnabled,
                "spec.flinkConfiguration." + key,
                key
                    + " is true: the Flink operator's autoscaler and the HPA would both change the"
                    + " parallelism; set it to false (or leave the policy's scaling off)"));
      }
    }
    return Optional.empty();
  }

  static Optional<Finding> replicasAbovePolicy(JsonNode spec, ScalingPolicy policy) {
    JsonNode replicas = spec.path("taskManager").path("replicas");
    if (!replicas.canConvertToInt() || replicas.asInt() <= policy.maxTaskManagers()) {
      return Optional.empty();
    }
    return Optional.of(
        warning(
            Reason.HpaMaxAbovePolicy,
            "spec.taskManager.replicas",
            "spec.taskManager.replicas ("
                + replicas.asInt()
                + ") is above scaling.maxTaskManagers ("
                + policy.maxTaskManagers()
                + "): the HPA will scale it down; set it within the policy's bounds"));
  }

  static List<Finding> hpa(HorizontalPodAutoscaler hpa, String target, ScalingPolicy policy) {
    List<Finding> out = new ArrayList<>();
    String hpaName = hpa.getMetadata() == null ? "?" : hpa.getMetadata().getName();
    if (!HpaSpecs.isOurs(hpa)) {
      out.add(
          warning(
              Reason.ForeignHpa,
              "HorizontalPodAutoscaler/" + hpaName,
              "HorizontalPodAutoscaler "
                  + hpaName
                  + " also scales FlinkDeployment "
                  + target
                  + ", so it and the one flinkspot owns fight over taskManager.replicas; delete it"
                  + " and put its bounds and metrics in the policy's scaling section"));
    }
    Integer max = hpa.getSpec() == null ? null : hpa.getSpec().getMaxReplicas();
    // Not for flinkspot's own HPA: the HPA step sets it back in the same pass and says so
    // (HpaUpdated); a finding would ask the user to fix what is already fixed.
    if (!HpaSpecs.isOurs(hpa) && max != null && max > policy.maxTaskManagers()) {
      out.add(
          warning(
              Reason.HpaMaxAbovePolicy,
              "HorizontalPodAutoscaler/" + hpaName + ".spec.maxReplicas",
              "HorizontalPodAutoscaler "
                  + hpaName
                  + " allows "
                  + max
                  + " TaskManagers, above the policy's scaling.maxTaskManagers ("
                  + policy.maxTaskManagers()
                  + "); lower spec.maxReplicas or raise the policy's bound"));
    }
    return out;
  }

  static boolean checkpointingOn(FlinkConfiguration conf) {
    return conf.duration(FlinkKeys.CHECKPOINTING_INTERVAL)
        .map(d -> d.compareTo(Duration.ZERO) > 0)
        .orElse(false);
  }
}
