package dev.flinkspot.job;

import dev.flinkspot.flink.harness.Await;
import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.FlinkProcess;
import dev.flinkspot.flink.harness.FlinkRest;
import dev.flinkspot.flink.harness.WorkDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spot interruption, end to end, on a real cluster running the stock-ticker job: three
 * TaskManagers; a fixed time after a periodic checkpoint one of them is SIGKILLed (optionally after
 * a checkpoint triggered through the REST API, as on a 2-minute Spot notice); the job recovers on
 * two; optionally a replacement TaskManager joins; the job runs to its end. Shared by the scenario
 * tests and {@link RecoveryBenchmark}.
 */
final class InterruptionDrill {
  /** What to do. {@code heartbeat} null = Flink's defaults (10 s interval, 50 s timeout). */
  record Trial(
      String name,
      HeartbeatSettings heartbeat,
      boolean checkpointOnNotice,
      boolean replaceTaskManager,
      long events,
      long eventsPerSecond,
      Duration checkpointInterval,
      Duration killAfterCheckpoint,
      Duration stabilization,
      Map<String, String> config) {

    /** With no extra Flink configuration. */
    Trial(
        String name,
        HeartbeatSettings heartbeat,
        boolean checkpointOnNotice,
        boolean replaceTaskManager,
        long events,
        long eventsPerSecond,
        Duration checkpointInterval,
        Duration killAfterCheckpoint,
        Duration stabilization) {
      this(
          name,
          heartbeat,
          checkpointOnNotice,
          replaceTaskManager,
          events,
          eventsPerSecond,
          checkpointInterval,
          killAfterCheckpoint,
          stabilization,
          Map.of());
    }
  }

  /** {@code heartbeat.interval} / {@code heartbeat.timeout}. */
  record HeartbeatSettings(Duration interval, Duration timeout) {
    static final HeartbeatSettings TUNED =
        new HeartbeatSettings(Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Override
    public String toString() {
      return interval.toSeconds() + "s/" + timeout.toSeconds() + "s";
    }
  }

  /**
   * What happened. {@code rescalePause} is null when no replacement TaskManager was added; {@code
   * rescaleReprocessed} counts the records emitted before the rescale began that were emitted again
   * after it (the rescale's replay).
   */
  record Result(
      Duration killToRunning,
      long reprocessed,
      long restartsForKill,
      Duration rescalePause,
      long rescaleReprocessed,
      long distinctEmitted,
      List<String> committed,
      List<String> expected) {}

  static final int TASK_MANAGERS = 3;

  private InterruptionDrill() {}

  static Result run(Trial t) throws InterruptedException {
    StockTickerRun run =
        new StockTickerRun(WorkDirs.create(t.name()), t.events(), t.eventsPerSecond());
    FlinkCluster.Builder spec =
        run.cluster()
            .taskManagers(TASK_MANAGERS)
            .set("execution.checkpointing.interval", t.checkpointInterval().toMillis() + "ms")
            .adaptiveScheduler(t.stabilization(), Duration.ZERO);
    t.config().forEach(spec::set);
    if (t.heartbeat() != null) {
      spec.heartbeat(t.heartbeat().interval(), t.heartbeat().timeout());
    }
    Duration generous = Duration.ofSeconds(120 + 2 * t.events() / Math.max(1, t.eventsPerSecond()));
    try (FlinkCluster cluster = spec.build().start()) {
      FlinkRest rest = cluster.rest();
      String job = cluster.jobId();
      cluster.awaitRunning(TASK_MANAGERS, Duration.ofSeconds(90));
      long before = rest.checkpoints(job).latestCompletedId();

      // Position the kill: a fixed time after a periodic checkpoint of the running job completed.
      FlinkRest.CheckpointStats first =
          awaitCheckpoint(rest, job, Math.max(0, before), t.checkpointInterval().multipliedBy(3));
      long killAt = first.latestCompletedTriggerTime() + t.killAfterCheckpoint().toMillis();
      Thread.sleep(Math.max(0, killAt - System.currentTimeMillis()));
      if (t.checkpointOnNotice()) {
        rest.checkpointNow(job, Duration.ofSeconds(30));
      }

      long restartsBefore = cluster.awaitRestarts(0, Duration.ofSeconds(30));
      // Only the replay of records emitted before the kill counts as the kill's.
      var mark = run.markTrace();
      FlinkProcess victim = cluster.taskManagers().get(1);
      long killed = System.nanoTime();
      long killedAt = System.currentTimeMillis();
      cluster.kill(victim);
      cluster.awaitRunningSince(TASK_MANAGERS - 1, killedAt, generous);
      Duration killToRunning = Duration.ofNanos(System.nanoTime() - killed);
      long restarts =
          cluster.awaitRestarts(restartsBefore + 1, Duration.ofSeconds(60)) - restartsBefore;

      Duration pause = null;
      List<Map<Path, Integer>> rescaleMark = new ArrayList<>();
      if (t.replaceTaskManager()) {
        pause = rescalePause(cluster, TASK_MANAGERS, () -> rescaleMark.add(run.markTrace()));
      }
      cluster.awaitJobState("FINISHED", generous);
      Result result =
          new Result(
              killToRunning,
              run.replayedSince(mark),
              restarts,
              pause,
              rescaleMark.isEmpty() ? 0 : run.replayedSince(rescaleMark.get(0)),
              run.distinctEmitted(),
              run.committed(),
              run.expected());
      System.out.printf(
          "%s: kill -> RUNNING %d ms, %d records reprocessed, %d restart(s)%s%n",
          t.name(),
          killToRunning.toMillis(),
          result.reprocessed(),
          restarts,
          pause == null ? "" : ", rescale pause " + pause.toMillis() + " ms");
      return result;
    }
  }

  /**
   * Starts a TaskManager and measures how long the job is not fully running while Reactive Mode
   * rescales to {@code parallelism} (polled through REST, so to ~0.5 s); {@code onRescaleBegins}
   * runs when the rescale is first seen.
   */
  static Duration rescalePause(FlinkCluster cluster, int parallelism, Runnable onRescaleBegins) {
    cluster.startTaskManager();
    long[] stoppedAt = {0};
    Await.until(
        "the rescale to " + parallelism + " begins",
        Duration.ofSeconds(60),
        () -> {
          FlinkRest.JobDetails d = cluster.rest().job(cluster.jobId());
          if (!d.fullyRunning() || d.parallelism() == parallelism) {
            stoppedAt[0] = System.nanoTime();
            onRescaleBegins.run();
            return Optional.of(d);
          }
          return Optional.empty();
        });
    cluster.awaitRunning(parallelism, Duration.ofSeconds(90));
    return Duration.ofNanos(System.nanoTime() - stoppedAt[0]);
  }

  static FlinkRest.CheckpointStats awaitCheckpoint(
      FlinkRest rest, String job, long afterId, Duration timeout) {
    return Await.until(
        "a checkpoint after #" + afterId,
        timeout,
        () -> {
          FlinkRest.CheckpointStats s = rest.checkpoints(job);
          return s.latestCompletedId() > afterId ? Optional.of(s) : Optional.empty();
        });
  }
}
