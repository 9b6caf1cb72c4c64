package dev.flinkspot.job;

import dev.flinkspot.flink.harness.Await;
import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.FlinkProcess;
import dev.flinkspot.flink.harness.FlinkRest;
import dev.flinkspot.flink.harness.FlinkVersion;
import dev.flinkspot.flink.harness.WorkDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Spot interruption cases of issue 12's benchmark, each on one real cluster (three
 * TaskManagers, one slot each) interrupted several times in a row: a TaskManager goes a fixed time
 * after a periodic checkpoint, a replacement TaskManager starts (at once with a warm spare, else
 * after a node launch), and the job comes back at full parallelism before the next interruption.
 */
final class SpotCases {
  static final int TASK_MANAGERS = 3;

  /**
   * One way of meeting a reclaim. {@code reactiveDefaults}: flinkspot's admission defaults (see
   * {@link #REACTIVE_DEFAULTS}) instead of Flink's; {@code notice}: the controller's checkpoint on
   * the notice, then the eviction's SIGTERM {@code preStop} later (a preStop sleep delays it);
   * without a notice the TaskManager is SIGKILLed (it dies with its node, no drain); {@code spare}:
   * the replacement starts at the eviction instead of after a node launch; {@code vanish}: without
   * a notice, the TaskManager is SIGSTOPped instead (its node drops off the network: no connection
   * is closed, so only heartbeats tell) and SIGKILLed once the job is back.
   */
  record Case(
      String id,
      String label,
      boolean reactiveDefaults,
      boolean notice,
      Duration preStop,
      boolean spare,
      boolean vanish) {

    Case(
        String id,
        String label,
        boolean reactiveDefaults,
        boolean notice,
        Duration preStop,
        boolean spare) {
      this(id, label, reactiveDefaults, notice, preStop, spare, false);
    }
  }

  /**
   * What every case shares. {@code preStopScript}: the notice cases with a preStop run flinkspot's
   * preStop script ({@link PreStopScript}) between the eviction and the SIGTERM, instead of
   * sleeping their fixed {@code preStop}.
   */
  record Settings(
      int kills,
      long eventsPerSecond,
      Duration checkpointInterval,
      Duration killAfterCheckpoint,
      Duration nodeLaunch,
      Duration terminationGrace,
      boolean preStopScript) {}

  /**
   * One interruption. Times are from the moment the TaskManager went (SIGKILL, or the eviction's
   * SIGTERM): until the job ran again at any parallelism, and at full parallelism. {@code
   * noticeCheckpoint} says what the checkpoint on the notice did ("-" without a notice); {@code
   * exitAfterSigterm} how long the TaskManager took to exit on SIGTERM (null on SIGKILL); {@code
   * replacementRegistered} when the replacement TaskManager registered with the ResourceManager,
   * from the eviction (or the kill): what the resource stabilization must wait for; {@code
   * preStopTook} from the eviction to the SIGTERM (null without a notice).
   */
  record Kill(
      Duration toRunning,
      Duration toFull,
      long restarts,
      long replayed,
      String noticeCheckpoint,
      Duration exitAfterSigterm,
      Duration replacementRegistered,
      Duration preStopTook) {}

  /**
   * flinkspot's Reactive Mode admission defaults for this Flink line, read from what
   * operator-extension's ReactiveDefaultsExportTest exported ({@code
   * <flinkspot.reactive-defaults.dir>/<flinkVersion>.json}; the job module cannot depend on
   * operator-extension), with two changes for the harness: {@code
   * -Dbenchmark.stabilization-seconds} replaces the resource stabilization when set, and the
   * exponential-delay restart strategy becomes the harness's fixed delay at its first backoff
   * (Flink's 1 s where the defaults set none): repeated kills on one cluster must not back off
   * longer and longer, each is a reclaim after a quiet spell.
   */
  static Map<String, String> reactiveDefaults() {
    Map<String, String> out = new LinkedHashMap<>(EXPORTED);
    out.keySet().removeIf(k -> k.startsWith("restart-strategy"));
    out.put(STABILIZATION_KEY, STABILIZATION.toMillis() + " ms");
    out.put("restart-strategy.fixed-delay.delay", RESTART_DELAY.toMillis() + " ms");
    return out;
  }

  private static final Map<String, String> EXPORTED = ExportedDefaults.read();

  private static final String STABILIZATION_KEY =
      FlinkVersion.isTwo()
          ? "jobmanager.adaptive-scheduler.submission.resource-stabilization-timeout"
          : "jobmanager.adaptive-scheduler.resource-stabilization-timeout";

  /** Whether {@code -Dbenchmark.stabilization-seconds} replaces the defaults' stabilization. */
  static final boolean STABILIZATION_OVERRIDDEN =
      !System.getProperty("benchmark.stabilization-seconds", "").isBlank();

  /** The resource stabilization of the Reactive defaults, or the one asked for to compare. */
  static final Duration STABILIZATION =
      STABILIZATION_OVERRIDDEN
          ? Duration.ofSeconds(Integer.getInteger("benchmark.stabilization-seconds"))
          : flinkDuration(EXPORTED.get(STABILIZATION_KEY));

  /** The restart delay of cases (b)-(d0): the defaults' first restart backoff, else Flink's 1 s. */
  static final Duration RESTART_DELAY =
      Optional.ofNullable(EXPORTED.get("restart-strategy.exponential-delay.initial-backoff"))
          .map(SpotCases::flinkDuration)
          .orElse(Duration.ofSeconds(1));

  static final String REACTIVE_DEFAULTS =
      "3 s/15 s heartbeats, "
          + STABILIZATION.toMillis() / 1000.0
          + " s stabilization, restart after "
          + RESTART_DELAY.toMillis() / 1000.0
          + " s, 60 s cooldown";

  /** A duration as the defaults write them: {@code 10 s}, {@code 500 ms}, {@code 5 min}. */
  private static Duration flinkDuration(String text) {
    String[] parts = text.trim().split("\\s+");
    long n = Long.parseLong(parts[0]);
    return switch (parts.length == 1 ? "ms" : parts[1]) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "min" -> Duration.ofMinutes(n);
      default -> throw new IllegalArgumentException("unexpected duration: " + text);
    };
  }

  private static final Duration POLL = Duration.ofMillis(100);

  private SpotCases() {}

  /** Runs {@code settings.kills()} interruptions of {@code c} on one cluster. */
  static List<Kill> run(Case c, Settings s) throws Exception {
    // Long enough for every kill; the cluster is closed (the job cancelled) after the last one.
    long seconds = 120 + s.kills() * (s.nodeLaunch().toSeconds() + 180);
    StockTickerRun run =
        new StockTickerRun(
            WorkDirs.create("bench-" + c.id()), s.eventsPerSecond() * seconds, s.eventsPerSecond());
    FlinkCluster.Builder spec =
        run.cluster()
            .taskManagers(TASK_MANAGERS)
            .set("execution.checkpointing.interval", s.checkpointInterval().toMillis() + "ms");
    if (c.reactiveDefaults()) {
      reactiveDefaults().forEach(spec::set);
    }
    ScheduledExecutorService launcher = Executors.newSingleThreadScheduledExecutor();
    // Own threads: the common pool has one thread on a 2-core machine, taken by the notice poll.
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    List<Kill> kills = new ArrayList<>();
    try (FlinkCluster cluster = spec.build().start()) {
      FlinkRest rest = cluster.rest();
      String job = cluster.jobId();
      cluster.awaitRunning(TASK_MANAGERS, Duration.ofSeconds(180));
      Map<java.nio.file.Path, Integer> previousMark = null;
      Kill previous = null;
      for (int i = 1; i <= s.kills(); i++) {
        cluster.awaitRunning(TASK_MANAGERS, Duration.ofSeconds(180));
        // Position the interruption: a fixed time after a periodic checkpoint completed.
        long after = rest.checkpoints(job).latestCompletedId();
        FlinkRest.CheckpointStats cp =
            InterruptionDrill.awaitCheckpoint(
                rest, job, after, s.checkpointInterval().multipliedBy(3));
        long at = cp.latestCompletedTriggerTime() + s.killAfterCheckpoint().toMillis();
        Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
        var mark = run.markTrace();
        if (previous != null) {
          kills.add(withReplay(previous, run.reemittedBetween(previousMark, mark)));
        }
        long restartsBefore = cluster.awaitRestarts(0, Duration.ofSeconds(30));
        previous = interrupt(cluster, c, s, launcher, watcher);
        previous = withRestarts(previous, settledRestarts(cluster) - restartsBefore);
        previousMark = mark;
      }
      // Let the last kill's replay finish before counting it.
      Thread.sleep(s.checkpointInterval().toMillis() + 5_000);
      kills.add(withReplay(previous, run.reemittedBetween(previousMark, run.markTrace())));
    } finally {
      launcher.shutdownNow();
      watcher.shutdownNow();
    }
    return kills;
  }

  /** One interruption, from the notice (or the silent kill) to the job at full parallelism. */
  private static Kill interrupt(
      FlinkCluster cluster,
      Case c,
      Settings s,
      ScheduledExecutorService launcher,
      ExecutorService watcher)
      throws Exception {
    FlinkRest rest = cluster.rest();
    String job = cluster.jobId();
    FlinkProcess victim = cluster.taskManagers().get(0);
    CompletableFuture<NoticeCheckpoint> checkpoint = null;
    Set<String> registered = Set.copyOf(rest.taskManagerIds());
    long evicted = System.nanoTime();
    Duration limit = s.nodeLaunch().plusSeconds(300);
    CompletableFuture<Duration> replacement =
        CompletableFuture.supplyAsync(
            () -> Duration.ofNanos(awaitNewTaskManager(rest, registered, limit) - evicted),
            watcher);
    if (c.notice()) {
      // The controller sees the taint and triggers; NTH/Karpenter evict at the same time.
      checkpoint = CompletableFuture.supplyAsync(() -> checkpointOnNotice(rest, job));
    }
    if (c.spare()) {
      cluster.startTaskManager(); // the replacement preempts a placeholder on a warm node
    } else {
      launcher.schedule(
          cluster::startTaskManager, s.nodeLaunch().toMillis(), TimeUnit.MILLISECONDS);
    }
    Duration exit = null;
    long gone;
    long goneEpoch;
    Duration preStopTook = null;
    if (c.notice()) {
      if (s.preStopScript() && !c.preStop().isZero()) {
        PreStopScript.run(rest.base(), s.terminationGrace()); // the kubelet runs the exec hook
      } else {
        sleepUntil(evicted + c.preStop().toNanos());
      }
      preStopTook = Duration.ofNanos(System.nanoTime() - evicted);
      gone = System.nanoTime();
      goneEpoch = System.currentTimeMillis();
      cluster.stop(victim, s.terminationGrace()); // SIGTERM, SIGKILL after the grace period
      exit = Duration.ofNanos(System.nanoTime() - gone);
    } else {
      gone = System.nanoTime();
      goneEpoch = System.currentTimeMillis();
      if (c.vanish()) {
        victim.freeze();
      } else {
        cluster.kill(victim);
      }
    }
    Await.until(
        "job RUNNING again after the interruption",
        limit,
        () -> runningSince(rest, job, goneEpoch, -1));
    Duration toRunning = Duration.ofNanos(System.nanoTime() - gone);
    Await.until(
        "job RUNNING at " + TASK_MANAGERS + " again",
        limit,
        () -> runningSince(rest, job, goneEpoch, TASK_MANAGERS));
    Duration toFull = Duration.ofNanos(System.nanoTime() - gone);
    if (victim.isAlive()) {
      cluster.kill(victim); // the vanished one
    }
    String noticeCheckpoint = "-";
    if (checkpoint != null) {
      NoticeCheckpoint n = checkpoint.get();
      noticeCheckpoint =
          n.id() < 0
              ? "none: " + n.detail()
              : String.format(
                  "#%d in %.1f s, %s SIGTERM",
                  n.id(),
                  (n.doneNanos() - evicted) / 1e9,
                  n.doneNanos() <= gone ? "before" : "after");
    }
    return new Kill(
        toRunning, toFull, 0, 0, noticeCheckpoint, exit, replacement.get(), preStopTook);
  }

  /** When a TaskManager not in {@code before} registered (System.nanoTime). */
  private static long awaitNewTaskManager(FlinkRest rest, Set<String> before, Duration limit) {
    Await.untilTrue(
        "the replacement TaskManager registered",
        limit,
        () -> rest.taskManagerIds().stream().anyMatch(id -> !before.contains(id)));
    return System.nanoTime();
  }

  private static Optional<Boolean> runningSince(
      FlinkRest rest, String job, long sinceEpochMillis, int parallelism) {
    FlinkRest.JobDetails d = rest.job(job);
    boolean up =
        d.fullyRunning()
            && d.runningSince() >= sinceEpochMillis
            && (parallelism < 0 || d.parallelism() == parallelism);
    return up ? Optional.of(true) : Optional.empty();
  }

  /** numRestarts once it has stopped moving (the metric fetcher refreshes every 0.5 s). */
  private static long settledRestarts(FlinkCluster cluster) throws InterruptedException {
    long last = -1;
    while (true) {
      Thread.sleep(2_000);
      long now = cluster.awaitRestarts(0, Duration.ofSeconds(30));
      if (now == last) {
        return now;
      }
      last = now;
    }
  }

  /** What the checkpoint on the notice did: its id (-1 if none) and when it was seen complete. */
  record NoticeCheckpoint(long id, long doneNanos, String detail) {}

  /**
   * The controller's checkpoint on a notice ({@code dev.flinkspot.flink.RestCheckpointTrigger} in
   * operator-extension): a CONFIGURED checkpoint triggered over REST, polled until it completes or
   * fails (every 0.1 s here, to time it; the controller polls every second).
   */
  static NoticeCheckpoint checkpointOnNotice(FlinkRest rest, String job) {
    String trigger;
    try {
      trigger = rest.triggerConfiguredCheckpoint(job);
    } catch (RuntimeException e) {
      return new NoticeCheckpoint(-1, System.nanoTime(), "trigger refused: " + e.getMessage());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        var n = rest.get("/jobs/" + job + "/checkpoints/" + trigger);
        if ("COMPLETED".equals(n.path("status").path("id").asText())) {
          var op = n.path("operation");
          return op.hasNonNull("failureCause")
              ? new NoticeCheckpoint(-1, System.nanoTime(), "failed")
              : new NoticeCheckpoint(op.path("checkpointId").asLong(), System.nanoTime(), "");
        }
      } catch (RuntimeException e) {
        // the JobManager is busy restarting the job: ask again
      }
      sleepUntil(System.nanoTime() + POLL.toNanos());
    }
    return new NoticeCheckpoint(-1, System.nanoTime(), "still running after 60 s");
  }

  private static Kill withReplay(Kill k, long replayed) {
    return new Kill(
        k.toRunning(),
        k.toFull(),
        k.restarts(),
        replayed,
        k.noticeCheckpoint(),
        k.exitAfterSigterm(),
        k.replacementRegistered(),
        k.preStopTook());
  }

  private static Kill withRestarts(Kill k, long restarts) {
    return new Kill(
        k.toRunning(),
        k.toFull(),
        restarts,
        k.replayed(),
        k.noticeCheckpoint(),
        k.exitAfterSigterm(),
        k.replacementRegistered(),
        k.preStopTook());
  }

  private static void sleepUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
