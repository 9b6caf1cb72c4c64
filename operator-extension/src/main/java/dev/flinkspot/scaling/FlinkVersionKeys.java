package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.FlinkVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Flink configuration keys of the Reactive Mode settings, per version line: one table, 1.x
 * (1.13..1.20) and 2.x. Flink 2.0 renamed the adaptive scheduler's timeouts (FLIP-472, "Aligning
 * timeout logic in the AdaptiveScheduler's WaitingForResources and Executing states"): the 1.x
 * names of three of them are still read as deprecated fallback keys, {@code scaling-interval.max}
 * is not read at all (flink-runtime 2.2 {@code AdaptiveScheduler.Settings} no longer reads it).
 * FlinkVersionKeysTest checks every entry against the ConfigOptions of the real flink-core 1.20 and
 * 2.2 jars (keys, fallback keys, deprecation). Pure; keys kept as strings.
 */
public final class FlinkVersionKeys {

  /** A Flink version line: its configuration keys differ. */
  public enum Line {
    /** Flink 1.13 .. 1.20. */
    V1,
    /** Flink 2.0 and later. */
    V2;

    /** The line of a FlinkDeployment's {@code spec.flinkVersion}; 1.x when unset or unknown. */
    public static Line of(JsonNode deployment) {
      return FlinkVersions.of(deployment)
          .filter(FlinkVersions.Version::isTwoOrNewer)
          .map(v -> V2)
          .orElse(V1);
    }
  }

  /** What a key sets, independent of its name. */
  public enum Setting {
    /** {@code JobManagerOptions.SCHEDULER_MODE}. */
    SCHEDULER_MODE("scheduler-mode", "scheduler-mode"),
    /**
     * Wait for resources before the job (re)starts: {@code RESOURCE_STABILIZATION_TIMEOUT} (1.x),
     * {@code SCHEDULER_SUBMISSION_RESOURCE_STABILIZATION_TIMEOUT} (2.x).
     */
    SUBMISSION_RESOURCE_STABILIZATION_TIMEOUT(
        "jobmanager.adaptive-scheduler.resource-stabilization-timeout",
        "jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout"),
    /** {@code RESOURCE_WAIT_TIMEOUT} (1.x), {@code SCHEDULER_SUBMISSION_RESOURCE_WAIT_TIMEOUT}. */
    SUBMISSION_RESOURCE_WAIT_TIMEOUT(
        "jobmanager.adaptive-scheduler.resource-wait-timeout",
        "jobmanager.adaptive-scheduler.submission.resource-wait-timeout"),
    /**
     * The minimum time between two rescales of a running job: {@code
     * SCHEDULER_SCALING_INTERVAL_MIN} (1.x), {@code SCHEDULER_EXECUTING_COOLDOWN_AFTER_RESCALING}.
     */
    COOLDOWN_AFTER_RESCALING(
        "jobmanager.adaptive-scheduler.scaling-interval.min",
        "jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling"),
    /**
     * When a rescale with less than the desired resources is forced: {@code
     * SCHEDULER_SCALING_INTERVAL_MAX} (1.x, off by default), {@code
     * SCHEDULER_EXECUTING_RESOURCE_STABILIZATION_TIMEOUT} (2.x, 1 min by default).
     */
    EXECUTING_RESOURCE_STABILIZATION_TIMEOUT(
        "jobmanager.adaptive-scheduler.scaling-interval.max",
        "jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout"),
    /** {@code MIN_PARALLELISM_INCREASE}: 1.x only; "not used anymore" in 2.x's description. */
    MIN_PARALLELISM_INCREASE("jobmanager.adaptive-scheduler.min-parallelism-increase", null),
    /**
     * FLIP-461 (2.x): a rescale waits for the next completed checkpoint, at most this long
     * (default: the checkpoint interval × (max-checkpoint-failures + 1)).
     */
    RESCALE_TRIGGER_MAX_DELAY(null, "jobmanager.adaptive-scheduler.rescale-trigger.max-delay"),
    /** FLIP-461 (2.x): failed checkpoints in a row that trigger the rescale anyway (default 2). */
    RESCALE_TRIGGER_MAX_CHECKPOINT_FAILURES(
        null, "jobmanager.adaptive-scheduler.rescale-trigger.max-checkpoint-failures"),
    /** {@code HeartbeatManagerOptions.HEARTBEAT_INTERVAL}. */
    HEARTBEAT_INTERVAL("heartbeat.interval", "heartbeat.interval"),
    /** {@code HeartbeatManagerOptions.HEARTBEAT_TIMEOUT}. */
    HEARTBEAT_TIMEOUT("heartbeat.timeout", "heartbeat.timeout"),
    /**
     * {@code HeartbeatManagerOptions.HEARTBEAT_RPC_FAILURE_THRESHOLD} (1.14+; checked, not
     * written).
     */
    HEARTBEAT_RPC_FAILURE_THRESHOLD(
        "heartbeat.rpc-failure-threshold", "heartbeat.rpc-failure-threshold"),
    /** {@code RestartStrategyOptions.RESTART_STRATEGY} (fallback {@code restart-strategy}). */
    RESTART_STRATEGY("restart-strategy.type", "restart-strategy.type"),
    /** {@code CheckpointingOptions.CHECKPOINTING_INTERVAL}. */
    CHECKPOINTING_INTERVAL("execution.checkpointing.interval", "execution.checkpointing.interval"),
    /** {@code PipelineOptions.MAX_PARALLELISM}. */
    MAX_PARALLELISM("pipeline.max-parallelism", "pipeline.max-parallelism"),
    /** {@code TaskManagerOptions.NUM_TASK_SLOTS}. */
    TASK_SLOTS("taskmanager.numberOfTaskSlots", "taskmanager.numberOfTaskSlots");

    private final String v1;
    private final String v2;

    Setting(String v1, String v2) {
      this.v1 = v1;
      this.v2 = v2;
    }

    /** The key of this setting in {@code line}; empty when that line has none. */
    public Optional<String> key(Line line) {
      return Optional.ofNullable(line == Line.V1 ? v1 : v2);
    }

    /**
     * Every key that sets this in {@code line}: its own, and for 2.x the 1.x name where flink-core
     * 2.x still reads it as a deprecated fallback key.
     */
    public List<String> keysRead(Line line) {
      List<String> keys = new ArrayList<>();
      key(line).ifPresent(keys::add);
      if (line == Line.V2 && v1 != null && v2 != null && !v1.equals(v2) && twoReadsOldKey()) {
        keys.add(v1);
      }
      return keys;
    }

    /** Whether Flink 2.x still reads the 1.x key (a fallback key of the 2.x ConfigOption). */
    public boolean twoReadsOldKey() {
      return this == SUBMISSION_RESOURCE_STABILIZATION_TIMEOUT
          || this == SUBMISSION_RESOURCE_WAIT_TIMEOUT
          || this == COOLDOWN_AFTER_RESCALING;
    }
  }

  /** A 1.x key set on a 2.x deployment: its 2.x name (empty when 2.x has none), and its effect. */
  public record Renamed(String oldKey, Optional<String> newKey, boolean stillRead) {}

  private FlinkVersionKeys() {}

  /** The key of {@code setting} for the deployment's version line (present for common settings). */
  public static String key(Setting setting, Line line) {
    return setting.key(line).orElseThrow();
  }

  /** The 1.x keys that Flink 2.x renamed or dropped, with their 2.x names. */
  public static List<Renamed> renamedInTwo() {
    List<Renamed> out = new ArrayList<>();
    for (Setting s : Setting.values()) {
      Optional<String> v1 = s.key(Line.V1);
      Optional<String> v2 = s.key(Line.V2);
      if (v1.isPresent() && !v1.equals(v2)) {
        out.add(new Renamed(v1.get(), v2, s.twoReadsOldKey()));
      }
    }
    return List.copyOf(out);
  }
}
