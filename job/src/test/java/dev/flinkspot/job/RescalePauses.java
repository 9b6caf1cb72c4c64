package dev.flinkspot.job;

import dev.flinkspot.flink.harness.Await;
import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.FlinkRest;
import dev.flinkspot.flink.harness.WorkDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The output pause of one rescale step (2 to 3 TaskManagers) of the same job, done two ways:
 * Reactive Mode (a TaskManager joins; the JobManager rescales in place), and the way Managed
 * Service for Apache Flink rescales (stop with savepoint, then start a new cluster at the new
 * parallelism from that savepoint; the default scheduler, {@code parallelism.default} 3). The pause
 * runs from the last record the source emitted before the step to the first after it (the trace
 * files, sampled every 20 ms): the longest gap in output from the step until the job runs at 3.
 */
final class RescalePauses {
  static final int FROM = 2;
  static final int TO = 3;

  private RescalePauses() {}

  /**
   * {@code steps} Reactive rescales 2 to 3 on one cluster (stepping back down between them), with
   * flinkspot's Reactive defaults ({@code flinkspotDefaults}) or Flink's.
   */
  static List<Duration> reactive(
      int steps, long eventsPerSecond, Duration checkpointInterval, boolean flinkspotDefaults)
      throws Exception {
    StockTickerRun run =
        stepRun(
            "bench-rescale-reactive" + (flinkspotDefaults ? "" : "-flink"), steps, eventsPerSecond);
    FlinkCluster.Builder spec =
        run.cluster()
            .taskManagers(FROM)
            .set("execution.checkpointing.interval", checkpointInterval.toMillis() + "ms");
    if (flinkspotDefaults) {
      SpotCases.reactiveDefaults().forEach(spec::set);
    }
    // The rescale waits for the cooldown (60 s, or Flink's 30 s) since the job last started.
    return stepUp(run, spec, steps, cluster -> {}, cluster -> {});
  }

  /**
   * {@code steps} rescales 2 to 3 on one cluster with the adaptive scheduler but not Reactive Mode
   * (flinkspot's Reactive defaults otherwise): a TaskManager joins, then the upper parallelism
   * bound is raised to 3 through REST ({@link FlinkRest#setUpperParallelism}). Its desired
   * resources are then the new parallelism, so WaitingForResources starts the job once they are
   * there, without the resource stabilization (apache/flink release-1.20.0, flink-runtime
   * scheduler/adaptive/WaitingForResources#checkDesiredOrSufficientResourcesAvailable). Executing
   * still waits for the cooldown (scaling-interval.min, 60 s) since the job last started. Between
   * steps the bound goes back to 2 before a TaskManager stops.
   */
  static List<Duration> resourceRequirements(
      int steps, long eventsPerSecond, Duration checkpointInterval) throws Exception {
    StockTickerRun run = stepRun("bench-rescale-rr", steps, eventsPerSecond);
    FlinkCluster.Builder spec =
        run.cluster()
            .unset("scheduler-mode")
            .set("jobmanager.scheduler", "adaptive")
            .set("parallelism.default", Integer.toString(FROM))
            .taskManagers(FROM)
            .set("execution.checkpointing.interval", checkpointInterval.toMillis() + "ms");
    SpotCases.reactiveDefaults().forEach(spec::set);
    return stepUp(
        run,
        spec,
        steps,
        cluster -> cluster.rest().setUpperParallelism(cluster.jobId(), FROM),
        cluster -> cluster.rest().setUpperParallelism(cluster.jobId(), TO));
  }

  private static StockTickerRun stepRun(String name, int steps, long eventsPerSecond) {
    return new StockTickerRun(
        WorkDirs.create(name), eventsPerSecond * (120 + steps * 240L), eventsPerSecond);
  }

  /**
   * Starts {@code spec} at 2 and steps it up to 3 {@code steps} times: {@code beforeStepDown} runs
   * before a TaskManager stops between steps, {@code afterTaskManagerJoins} right after the third
   * one starts. Returns each step's output pause.
   */
  private static List<Duration> stepUp(
      StockTickerRun run,
      FlinkCluster.Builder spec,
      int steps,
      Consumer<FlinkCluster> beforeStepDown,
      Consumer<FlinkCluster> afterTaskManagerJoins)
      throws Exception {
    List<Duration> pauses = new ArrayList<>();
    try (FlinkCluster cluster = spec.build().start();
        OutputSampler output = new OutputSampler(run)) {
      cluster.awaitRunning(FROM, Duration.ofSeconds(180));
      for (int i = 0; i < steps; i++) {
        if (i > 0) {
          beforeStepDown.accept(cluster);
          cluster.stop(cluster.taskManagers().get(0));
          cluster.awaitRunning(FROM, Duration.ofSeconds(180));
        }
        Thread.sleep(3_000);
        long step = System.nanoTime();
        long stepEpoch = System.currentTimeMillis();
        cluster.startTaskManager();
        afterTaskManagerJoins.accept(cluster);
        cluster.awaitRunningSince(TO, stepEpoch, Duration.ofSeconds(240));
        Thread.sleep(3_000);
        pauses.add(output.longestGapSince(step));
      }
    }
    return pauses;
  }

  /** {@code steps} managed-style rescales 2 to 3, each from a fresh cluster at 2. */
  static List<Duration> managedStyle(int steps, long eventsPerSecond, Duration checkpointInterval)
      throws Exception {
    List<Duration> pauses = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      StockTickerRun run =
          new StockTickerRun(
              WorkDirs.create("bench-rescale-managed"), eventsPerSecond * 600, eventsPerSecond);
      try (OutputSampler output = new OutputSampler(run)) {
        String savepoint;
        long step;
        try (FlinkCluster before =
            managedCluster(run, "at-2", FROM, checkpointInterval).build().start()) {
          before.awaitRunning(FROM, Duration.ofSeconds(180));
          Thread.sleep(10_000);
          step = System.nanoTime();
          FlinkRest rest = before.rest();
          String trigger =
              rest.stopWithSavepoint(
                  before.jobId(), run.dir.resolve("savepoints").toUri().toString());
          savepoint =
              Await.until(
                  "the savepoint of the stop",
                  Duration.ofSeconds(120),
                  () -> rest.savepointLocation(before.jobId(), trigger));
        }
        FlinkCluster.Builder next =
            managedCluster(run, "at-3", TO, checkpointInterval)
                .set("execution.savepoint.path", savepoint);
        try (FlinkCluster after = next.build().start()) {
          after.awaitRunning(TO, Duration.ofSeconds(180));
          Await.untilTrue(
              "output after the restart", Duration.ofSeconds(60), () -> output.emittedSince(step));
          pauses.add(output.longestGapSince(step));
        }
      }
    }
    return pauses;
  }

  /** The default scheduler at a fixed parallelism (no Reactive Mode), as a managed service runs. */
  private static FlinkCluster.Builder managedCluster(
      StockTickerRun run, String name, int parallelism, Duration checkpointInterval) {
    return run.cluster(run.dir.resolve(name))
        .unset("scheduler-mode")
        .set("parallelism.default", Integer.toString(parallelism))
        .taskManagers(parallelism)
        .set("execution.checkpointing.interval", checkpointInterval.toMillis() + "ms");
  }

  /** Samples the trace's size every 20 ms and keeps the times it grew. */
  static final class OutputSampler implements AutoCloseable {
    private final List<Long> grew = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    OutputSampler(StockTickerRun run) {
      thread =
          new Thread(
              () -> {
                long last = -1;
                while (running) {
                  long bytes = run.traceBytes();
                  if (bytes > last) {
                    grew.add(System.nanoTime());
                    last = bytes;
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "output-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    boolean emittedSince(long nanoTime) {
      return grew.stream().anyMatch(t -> t > nanoTime);
    }

    /** The longest time without output that ended after {@code nanoTime}. */
    Duration longestGapSince(long nanoTime) {
      List<Long> times = List.copyOf(grew);
      long longest = 0;
      for (int i = 1; i < times.size(); i++) {
        if (times.get(i) > nanoTime) {
          longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
      }
      return Duration.ofNanos(longest);
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }
}
