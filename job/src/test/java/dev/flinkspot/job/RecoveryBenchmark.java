package dev.flinkspot.job;

import dev.flinkspot.flink.harness.FlinkVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The baseline the controller's Spot interruption handling is judged against: on the harness
 * cluster, a TaskManager SIGKILLed 8 s after a periodic checkpoint, with Flink's default heartbeats
 * (10 s / 50 s) and tuned ones (1 s / 5 s), with and without a checkpoint on the notice; then a
 * replacement TaskManager joins. Prints, per trial: kill to RUNNING, records reprocessed, restarts,
 * and the rescale pause when the replacement joins.
 *
 * <p>Run: {@code mvn -B -pl job,job-flink2 -Pbenchmark -DskipTests verify} (not part of the test
 * command): the same trials on Flink 1.20 then 2.2. Each run keeps its rows in {@code
 * target/benchmarks/recovery-<release>.md} (root folder), and prints every release's rows found
 * there side by side, case by case. {@code -Dbenchmark.repeats=N} repeats each trial.
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

    String release = FlinkVersion.release();
    List<String> rows = new ArrayList<>();
    // FLIP-461 (Flink 2.x): a rescale waits for the next completed checkpoint (Flink's default);
    // max-delay 0 rescales at once, as Flink 1.x does. Measured on 2.x with tuned heartbeats.
    Map<String, Map<String, String>> triggers = new LinkedHashMap<>();
    triggers.put(FlinkVersion.isTwo() ? "on checkpoint (default)" : "at once (1.x)", Map.of());
    if (FlinkVersion.isTwo()) {
      triggers.put(
          "at once (max-delay 0)",
          Map.of("jobmanager.adaptive-scheduler.rescale-trigger.max-delay", "0ms"));
    }
    for (int i = 1; i <= repeats; i++) {
      for (var trigger : triggers.entrySet()) {
        for (InterruptionDrill.HeartbeatSettings hb :
            new InterruptionDrill.HeartbeatSettings[] {defaults, tuned}) {
          for (boolean notice : new boolean[] {false, true}) {
            if (!trigger.getValue().isEmpty() && (hb == null || notice)) {
              continue; // the trigger variant: one case (tuned heartbeats, no notice)
            }
            String name =
                "bench-"
                    + (hb == null ? "default-hb" : "tuned-hb")
                    + (notice ? "-notice" : "-no-notice")
                    + (trigger.getValue().isEmpty() ? "" : "-rescale-at-once");
            InterruptionDrill.Result r =
                InterruptionDrill.run(
                    new InterruptionDrill.Trial(
                        name,
                        hb,
                        notice,
                        true,
                        rate * 60,
                        rate,
                        interval,
                        killAfter,
                        stabilization,
                        trigger.getValue()));
            boolean exact = r.committed().equals(r.expected());
            rows.add(
                String.format(
                    "| %s | %s | %s | %s | %s | %.1f | %d | %d | %.1f | %d | %s |",
                    hb == null ? "default 10s/50s" : "tuned " + hb,
                    notice ? "yes" : "no",
                    trigger.getKey(),
                    i,
                    release,
                    r.killToRunning().toMillis() / 1000.0,
                    r.reprocessed(),
                    r.restartsForKill(),
                    r.rescalePause().toMillis() / 1000.0,
                    r.rescaleReprocessed(),
                    exact ? "yes" : "NO"));
          }
        }
      }
    }
    Path dir = Path.of(System.getProperty("benchmark.results-dir", "target/benchmarks"));
    Files.createDirectories(dir);
    Files.write(dir.resolve("recovery-" + release + ".md"), rows);
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("recovery-")).toList()) {
        all.addAll(Files.readAllLines(f));
      }
    }
    // Side by side: the same case (heartbeats, notice, run) of each release on adjacent rows.
    all.sort(Comparator.naturalOrder());
    System.out.println();
    System.out.printf(
        "Recovery benchmark: 3 TaskManagers x 1 slot, %d events/s, checkpoint every %ds, kill %ds"
            + " after a checkpoint, resource stabilization %ds (1.x and 2.x keys)%n%n",
        rate, interval.toSeconds(), killAfter.toSeconds(), stabilization.toSeconds());
    System.out.println(
        "| heartbeat interval/timeout | checkpoint on notice | rescale | run | Flink"
            + " | kill -> RUNNING (s) | records reprocessed | restarts"
            + " | rescale pause on replacement (s) | records reprocessed by the rescale"
            + " | exactly-once |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    all.forEach(System.out::println);
  }
}
