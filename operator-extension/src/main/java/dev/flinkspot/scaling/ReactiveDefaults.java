package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.flink.FlinkConfiguration;
import dev.flinkspot.flink.JobManagerAddress;
import dev.flinkspot.scaling.FlinkVersionKeys.Line;
import dev.flinkspot.scaling.FlinkVersionKeys.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the Reactive Mode defaults of a scaled FlinkDeployment are decided: raw FlinkDeployment
 * JSON and a policy in, the deployment with defaults added only where the user set nothing out.
 * Pure and idempotent (a second pass adds nothing); the input is never mutated.
 */
public final class ReactiveDefaults {

  /** In-place rescale needs the standalone deployment mode; the operator's default is native. */
  public static final String MODE = "standalone";

  /** Reactive Mode: the JobManager runs at the parallelism the TaskManagers' slots allow. */
  public static final String SCHEDULER_MODE = "REACTIVE";

  /**
   * Restarts forever after a lost TaskManager (attempts-before-reset-backoff is unbounded in 1.19+)
   * and backs off from 1 s ({@link #RESTART_INITIAL_BACKOFF} on 1.x) to 1 min on a crash loop;
   * without it a job with no checkpointing fails.
   */
  public static final String RESTART_STRATEGY = "exponential-delay";

  /**
   * How long the job waits, after each (re)start, for more TaskManagers before it runs with those
   * it has. Reactive Mode sets 0 unless configured: the job would run with what is left after a
   * loss and restart again for each TaskManager that joins. In Flink 1.x every restart waits this
   * out in full, a rescale too: flink-runtime 1.20 {@code scheduler/adaptive/Restarting} always
   * goes to {@code WaitingForResources}, whose deadline runs from the moment resources are
   * sufficient and ends early only with the desired resources, the max parallelism in Reactive
   * Mode. So it is the output pause of every 1.x Reactive rescale. Flink 2.x skips it on a rescale
   * (FLINK-36013).
   *
   * <p>10 s, Flink's own default outside Reactive Mode ({@code JobManagerOptions
   * .RESOURCE_STABILIZATION_TIMEOUT}), for Flink 2.x and for a 1.x deployment whose restart
   * strategy the user set: it is the reclaim's window for the warm spare's replacement. The spare's
   * replacement pod is created at the eviction, so it must register within the preStop ({@link
   * TaskManagerDrain}: until the notice checkpoint completes, 2-5 s), ~1.5 s of exit and restart
   * delay, and this: ~13-16 s. The harness's replacement registered 2.7-3.6 s after it started;
   * Kubernetes' pod startup SLO adds up to 5 s (p99, image already pulled, no preemption:
   * kubernetes/community sig-scalability/slos/pod_startup_latency.md). A late one costs a second
   * restart and a minute at lower parallelism ({@link #SCALING_INTERVAL_MIN}).
   */
  public static final String RESOURCE_STABILIZATION_TIMEOUT = "10 s";

  /**
   * The 1.x stabilization when flinkspot also sets the restart strategy ({@link
   * #RESTART_INITIAL_BACKOFF}): a Flink 1.x Reactive rescale pauses the job this long (+ ~0.1 s),
   * not 10 s. flink-runtime 1.20 {@code Executing} restarts for a rescale with no backoff ({@code
   * goToRestarting(..., Duration.ofMillis(0L), ...)}) and a failure after the restart strategy's
   * backoff, both then through {@code WaitingForResources}: so the failure's wait is split into the
   * backoff, which only failures pay, and this, which both pay. A failure, a Spot reclaim included,
   * still waits ~11 s in all (10 s backoff, +-10% jitter, and this), as with the 10 s stabilization
   * and Flink's 1 s first backoff, and the warm spare's replacement has as long to register. What
   * it costs: TaskManagers of one HPA step, of a first start or of a JobManager failover that
   * register more than ~1 s apart join in two restarts, the second after {@link
   * #SCALING_INTERVAL_MIN}. Measured by the job module's RecoveryBenchmark (README, "Choosing the
   * stabilization").
   */
  public static final String RESCALE_STABILIZATION_TIMEOUT_V1 = "1 s";

  /**
   * The exponential-delay restart strategy's first backoff on Flink 1.x (Flink: 1 s), set only with
   * {@link #RESCALE_STABILIZATION_TIMEOUT_V1} and only when the user set no restart strategy key:
   * the part of the failure's wait that a rescale does not pay.
   */
  public static final String RESTART_INITIAL_BACKOFF = "10 s";

  /**
   * How long a job must run without failure before the backoff falls back to {@link
   * #RESTART_INITIAL_BACKOFF} (Flink: 1 h, after which the second reclaim within the hour would
   * wait 15 s, the third 22.5 s). A crash loop, which fails within minutes, still backs off to the
   * 1 min max backoff.
   */
  public static final String RESTART_RESET_BACKOFF_THRESHOLD = "5 min";

  /**
   * At most one rescale per minute while running (Flink default 30 s): TaskManagers of one HPA step
   * that arrive within the minute join in one restart; matches the HPA scale-up period of 60 s.
   */
  public static final String SCALING_INTERVAL_MIN = "60 s";

  static final Duration SCALING_INTERVAL_MIN_DURATION = Duration.ofSeconds(60);

  /**
   * 3 s heartbeats (Flink default 10 s) with a 15 s timeout (default 50 s): a TaskManager lost with
   * its node is noticed in 15 s, an unreachable one after 2 failed RPCs (~6 s: {@code
   * heartbeat.rpc-failure-threshold}, left at Flink's default 2, see {@link
   * FlinkKeys#HEARTBEAT_RPC_FAILURE_THRESHOLD}). Plain milliseconds parse as a Long in Flink 1.19
   * and as a Duration in 1.20.
   */
  public static final String HEARTBEAT_INTERVAL = "3000";

  /** See {@link #HEARTBEAT_INTERVAL}. */
  public static final String HEARTBEAT_TIMEOUT = "15000";

  /**
   * How long the JobManager may serve checkpoint statistics from its cache (Flink: 3 s, {@link
   * FlinkKeys#CHECKPOINT_STATISTICS_CACHE_TIMEOUT}), set with the TaskManager preStop, which polls
   * them every 0.5 s for a checkpoint that completes in a second or two: with 3 s it would see the
   * counts from before the notice's trigger at its 2 s least wait and let the SIGTERM abort that
   * checkpoint. The job harness runs with 500 ms too (PreStopScriptIT, RecoveryBenchmark).
   */
  public static final String CHECKPOINT_STATISTICS_CACHE_TIMEOUT = "500 ms";

  private ReactiveDefaults() {}

  /** The defaulted deployment, the settings added (as {@code path=value}), and whether any was. */
  public record Outcome(ObjectNode defaulted, List<String> added, boolean changed) {}

  /**
   * Adds the Reactive Mode defaults a scaled deployment needs, and the TaskManagers' preStop that
   * waits for the checkpoint on a Spot notice ({@link TaskManagerDrain}), at the deployment's REST
   * Service. Deliberately never defaults {@code pipeline.max-parallelism} (changing it later loses
   * keyed state) nor checkpointing (it needs the user's storage); {@link ReactiveValidator} reports
   * those.
   */
  public static Outcome apply(JsonNode deployment, ScalingPolicy policy) {
    ObjectNode original = (ObjectNode) deployment;
    if (policy == null || !policy.enabled()) {
      return new Outcome(original, List.of(), false);
    }
    ObjectNode out = original.deepCopy();
    ObjectNode spec = Json.object(out, "spec");
    List<String> added = new ArrayList<>();
    if (isUnset(spec.get("mode"))) {
      spec.put("mode", MODE);
      added.add("spec.mode=" + MODE);
    }
    FlinkConfiguration conf = FlinkConfiguration.of(original);
    List<String[]> settings = new ArrayList<>();
    if (!conf.has(FlinkKeys.SCHEDULER_MODE)) {
      settings.add(new String[] {FlinkKeys.SCHEDULER_MODE, SCHEDULER_MODE});
    }
    // The adaptive scheduler's keys differ by version line (FLIP-472): write the line's own key,
    // and count as set any key that line still reads.
    Line line = Line.of(original);
    Setting stabilization = Setting.SUBMISSION_RESOURCE_STABILIZATION_TIMEOUT;
    boolean stabilizationUnset = stabilization.keysRead(line).stream().noneMatch(conf::has);
    // On 1.x, when the user set neither, part of the failure's wait moves from the stabilization
    // (which every rescale waits out) to the restart backoff (which only failures wait out).
    boolean splitWait =
        line == Line.V1
            && stabilizationUnset
            && !conf.hasAnyStartingWith(FlinkKeys.RESTART_STRATEGY_PREFIX);
    if (!conf.has(FlinkKeys.RESTART_STRATEGY_TYPE)
        && !conf.has(FlinkKeys.RESTART_STRATEGY_LEGACY)) {
      settings.add(new String[] {FlinkKeys.RESTART_STRATEGY_TYPE, RESTART_STRATEGY});
    }
    if (splitWait) {
      settings.add(new String[] {FlinkKeys.RESTART_INITIAL_BACKOFF, RESTART_INITIAL_BACKOFF});
      settings.add(
          new String[] {
            FlinkKeys.RESTART_RESET_BACKOFF_THRESHOLD, RESTART_RESET_BACKOFF_THRESHOLD
          });
    }
    if (stabilizationUnset) {
      settings.add(
          new String[] {
            FlinkVersionKeys.key(stabilization, line),
            splitWait ? RESCALE_STABILIZATION_TIMEOUT_V1 : RESOURCE_STABILIZATION_TIMEOUT
          });
    }
    // Flink 1.x refuses to start when scaling-interval.max is not above .min: leave a low max
    // alone (2.x reads no scaling-interval.max).
    boolean maxAllowsMin =
        line == Line.V2
            || !conf.has(FlinkKeys.SCALING_INTERVAL_MAX)
            || conf.duration(FlinkKeys.SCALING_INTERVAL_MAX)
                .map(max -> max.compareTo(SCALING_INTERVAL_MIN_DURATION) > 0)
                .orElse(false);
    Setting cooldown = Setting.COOLDOWN_AFTER_RESCALING;
    if (cooldown.keysRead(line).stream().noneMatch(conf::has) && maxAllowsMin) {
      settings.add(new String[] {FlinkVersionKeys.key(cooldown, line), SCALING_INTERVAL_MIN});
    }
    // The pair only: Flink requires timeout >= interval, so a user's one value is left to them.
    if (!conf.has(FlinkKeys.HEARTBEAT_INTERVAL) && !conf.has(FlinkKeys.HEARTBEAT_TIMEOUT)) {
      settings.add(new String[] {FlinkKeys.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL});
      settings.add(new String[] {FlinkKeys.HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT});
    }
    JsonNode metadata = original.path("metadata");
    URI restBase =
        JobManagerAddress.serviceDns()
            .restBase(
                metadata.path("namespace").asText(),
                metadata.path("name").asText(),
                conf.restPort());
    Optional<String> preStop = TaskManagerDrain.apply(spec, restBase);
    preStop.ifPresent(added::add);
    // The preStop polls the checkpoint statistics: served fresh within its 0.5 s poll.
    if (preStop.isPresent()
        && !conf.has(FlinkKeys.CHECKPOINT_STATISTICS_CACHE_TIMEOUT)
        && !conf.has(FlinkKeys.WEB_REFRESH_INTERVAL)) {
      settings.add(
          new String[] {
            FlinkKeys.CHECKPOINT_STATISTICS_CACHE_TIMEOUT, CHECKPOINT_STATISTICS_CACHE_TIMEOUT
          });
    }
    if (!settings.isEmpty()) {
      ObjectNode flinkConfiguration = Json.object(spec, "flinkConfiguration");
      for (String[] kv : settings) {
        flinkConfiguration.put(kv[0], kv[1]);
        added.add("spec.flinkConfiguration." + kv[0] + "=" + kv[1]);
      }
    }
    return new Outcome(out, List.copyOf(added), !added.isEmpty());
  }

  private static boolean isUnset(JsonNode node) {
    return node == null || node.isNull() || (node.isTextual() && node.asText().isBlank());
  }
}
