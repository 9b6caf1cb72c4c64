package dev.flinkspot.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline the controller's Spot interruption handling is judged against: on the harness
 * cluster, a TaskManager SIGKILLed 8 s after a periodic checkpoint, with Flink's default heartbeats
 * (10 s / 50 s) and tuned ones (1 s / 5 s), with and without a checkpoint on the notice; then a
 * replacement TaskManager joins. Prints, per trial: kill to RUNNING, records reprocessed, restarts,
 * and the rescale pause when the replacement joins.
 *
 * <p>Run: {@code mvn -B -pl job -Pbenchmark -DskipTests verify} (not part of the test command).
 * {@code -Dbenchmark.repeats=N} repeats each trial.
 */
public final class RecoveryBenchmark {
  private RecoveryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repeats = Integer.getInteger("benchmark.repeats", 1);
    long rate = 500;
    Duration interval = Duration.ofSeconds(10);
    Duration killAfter = Duration.ofSeconds(8);
    Duration stabilization = Duration.ofSeconds(5);
    InterruptionDrill.HeartbeatSettings defaults = null;
    InterruptionDrill.HeartbeatSettings tuned = InterruptionDrill.HeartbeatSettings.TUNED;

    List<String> rows = new ArrayList<>();
    for (int i = 1; i <= repeats; i++) {
      for (InterruptionDrill.HeartbeatSettings hb :
          new InterruptionDrill.HeartbeatSettings[] {defaults, tuned}) {
        for (boolean notice : new boolean[] {false, true}) {
          String name =
              "bench-"
                  + (hb == null ? "default-hb" : "tuned-hb")
                  + (notice ? "-notice" : "-no-notice");
          InterruptionDrill.Result r =
              InterruptionDrill.run(
                  new InterruptionDrill.Trial(
                      name, hb, notice, true, rate * 60, rate, interval, killAfter, stabilization));
          boolean exact = r.committed().equals(r.expected());
          rows.add(
              String.format(
                  "| %s | %s | %s | %.1f | %d | %d | %.1f | %s |",
                  hb == null ? "default 10s/50s" : "tuned " + hb,
                  notice ? "yes" : "no",
                  i,
                  r.killToRunning().toMillis() / 1000.0,
                  r.reprocessed(),
                  r.restartsForKill(),
                  r.rescalePause().toMillis() / 1000.0,
                  exact ? "yes" : "NO"));
        }
      }
    }
    System.out.println();
    System.out.printf(
        "Recovery benchmark: 3 TaskManagers x 1 slot, %d events/s, checkpoint every %ds, kill %ds"
            + " after a checkpoint, resource-stabilization-timeout %ds%n%n",
        rate, interval.toSeconds(), killAfter.toSeconds(), stabilization.toSeconds());
    System.out.println(
        "| heartbeat interval/timeout | checkpoint on notice | run | kill -> RUNNING (s)"
            + " | records reprocessed | restarts | rescale pause on replacement (s) | exactly-once |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }
}
