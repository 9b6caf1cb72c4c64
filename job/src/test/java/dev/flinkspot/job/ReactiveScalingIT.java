package dev.flinkspot.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.FlinkProcess;
import dev.flinkspot.flink.harness.WorkDirs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1 on a real cluster: in Reactive Mode, TaskManagers joining and leaving change the job's
 * parallelism, one restart per change when the resource stabilisation timeout absorbs TaskManagers
 * that arrive (or leave) a few seconds apart. Runs on Flink 1.20 (job/) and 2.2 (job-flink2/).
 */
class ReactiveScalingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void addingAndRemovingTaskManagersRescalesWithOneRestartPerChange() throws Exception {
    StockTickerRun run = new StockTickerRun(WorkDirs.create("reactive-scaling"), 1_000_000, 200);
    FlinkCluster.Builder builder =
        run.cluster()
            .taskManagers(1)
            .heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(5))
            .adaptiveScheduler(Duration.ofSeconds(10), Duration.ZERO);
    try (FlinkCluster cluster = builder.build().start()) {
      cluster.awaitRunning(1, TIMEOUT);
      long before = cluster.awaitRestarts(0, TIMEOUT);

      // Scale up 1 -> 3: two TaskManagers arriving one after the other, as pods do.
      cluster.startTaskManager();
      Thread.sleep(1_000);
      cluster.startTaskManager();
      cluster.awaitRunning(3, TIMEOUT);
      long afterUp = cluster.awaitRestarts(before + 1, TIMEOUT);
      assertThat(afterUp).as("restarts for the scale-up 1 -> 3").isEqualTo(before + 1);

      // Scale down 3 -> 1: two TaskManagers stopped (SIGTERM), 1 s apart.
      FlinkProcess first = cluster.taskManagers().get(1);
      FlinkProcess second = cluster.taskManagers().get(2);
      cluster.stop(first);
      Thread.sleep(1_000);
      cluster.stop(second);
      cluster.awaitRunning(1, TIMEOUT);
      long afterDown = cluster.awaitRestarts(afterUp + 1, TIMEOUT);
      assertThat(afterDown).as("restarts for the scale-down 3 -> 1").isEqualTo(afterUp + 1);
    }
  }
}
