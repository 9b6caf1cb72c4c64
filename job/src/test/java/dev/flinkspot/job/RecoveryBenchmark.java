package dev.flinkspot.job;

import dev.flinkspot.flink.harness.FlinkVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Issue 12's benchmark on real Flink processes: the same Spot reclaim met four ways, side by side,
 * over several kills each, and the targets as ratios to case (a) in the same run; then the rescale
 * pause of Reactive Mode against a managed-service-style rescale. Prints figures, asserts nothing.
 *
 * <ul>
 *   <li>(a) Flink's defaults: no notice handling (the TaskManager is SIGKILLed with its node), 10 s
 *       / 50 s heartbeats, Reactive Mode's own scheduler settings;
 *   <li>(b) flinkspot's Reactive admission defaults, no notice handling;
 *   <li>(c) notice handling: a checkpoint triggered over REST on the notice, the eviction's SIGTERM
 *       after the preStop (flinkspot's script, or a fixed delay), SIGKILL after the grace period if
 *       still alive;
 *   <li>(d) notice handling with a warm spare: the replacement starts at the eviction, not after a
 *       node launch;
 *   <li>(d0) item 4: (d) without a preStop delay, the SIGTERM at once (as NTH drains by default).
 * </ul>
 *
 * <p>Run: {@code mvn -B -pl job,job-flink2 -Pbenchmark -DskipTests verify} (Flink 1.20, then 2.2);
 * {@code -pl job} for 1.20 only. Properties: {@code -Dbenchmark.repeats} (kills per case and
 * rescale steps, default 3), {@code -Dbenchmark.node-launch-seconds} (60), {@code
 * -Dbenchmark.prestop-seconds} (unset: flinkspot's preStop script, {@link PreStopScript}, runs
 * between the eviction and the SIGTERM; a number: a fixed preStop sleep of that many seconds
 * instead, to compare), {@code -Dbenchmark.termination-grace-seconds} (30), {@code
 * -Dbenchmark.stabilization-seconds} (unset: the Reactive defaults' resource stabilization), {@code
 * -Dbenchmark.cases} (a,b,c,d,d0,rescale; also rescale-flink: only the Reactive rescale on Flink's
 * defaults; rescale-rr: the adaptive scheduler without Reactive Mode, the upper parallelism bound
 * PUT through REST, FLIP-291; av, bv: (a), (b) with the TaskManager SIGSTOPped, as a node that
 * drops off the network). Each release's tables go to {@code
 * target/benchmarks/recovery-<release>.md} (root folder); all found there are printed at the end.
 */
public final class RecoveryBenchmark {
  private RecoveryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repeats = Integer.getInteger("benchmark.repeats", 3);
    // flinkspot's preStop script unless a fixed preStop sleep is asked for, to compare.
    Integer fixedPreStop = Integer.getInteger("benchmark.prestop-seconds");
    boolean script = fixedPreStop == null;
    Duration preStop = Duration.ofSeconds(script ? PreStopScript.MAX_SECONDS : fixedPreStop);
    if (script) {
      PreStopScript.exported(); // fails at once, saying why, when operator-extension is not built
    }
    SpotCases.Settings s =
        new SpotCases.Settings(
            repeats,
            500,
            Duration.ofSeconds(10),
            Duration.ofSeconds(8),
            Duration.ofSeconds(Integer.getInteger("benchmark.node-launch-seconds", 60)),
            Duration.ofSeconds(Integer.getInteger("benchmark.termination-grace-seconds", 30)),
            script);
    String allCases = "a,b,c,d,d0,rescale";
    String chosen = System.getProperty("benchmark.cases", allCases);
    List<String> wanted = Arrays.asList(chosen.split(","));
    String p = script ? "script" : preStop.toSeconds() + " s";
    List<SpotCases.Case> cases =
        List.of(
            new SpotCases.Case("a", "(a) Flink defaults, no handling", false, false, null, false),
            new SpotCases.Case("b", "(b) Reactive defaults, no handling", true, false, null, false),
            new SpotCases.Case(
                "c", "(c) notice: checkpoint, preStop " + p, true, true, preStop, false),
            new SpotCases.Case(
                "d", "(d) notice, preStop " + p + ", warm spare", true, true, preStop, true),
            new SpotCases.Case(
                "d0", "(d0) notice, no preStop, warm spare", true, true, Duration.ZERO, true),
            // Only when asked for: the node vanishes (SIGSTOP) instead of closing its connections.
            new SpotCases.Case(
                "av", "(a) Flink defaults, node vanishes", false, false, null, false, true),
            new SpotCases.Case(
                "bv", "(b) Reactive defaults, node vanishes", true, false, null, false, true));

    String release = FlinkVersion.release();
    Map<String, List<SpotCases.Kill>> results = new LinkedHashMap<>();
    for (SpotCases.Case c : cases) {
      if (wanted.contains(c.id())) {
        List<SpotCases.Kill> kills = SpotCases.run(c, s);
        kills.forEach(k -> System.out.println(c.label() + ": " + k));
        results.put(c.id(), kills);
      }
    }
    List<Duration> reactive = List.of();
    List<Duration> reactiveFlink = List.of();
    List<Duration> managed = List.of();
    if (wanted.contains("rescale")) {
      reactive = RescalePauses.reactive(repeats, s.eventsPerSecond(), s.checkpointInterval(), true);
    }
    if (wanted.contains("rescale") || wanted.contains("rescale-flink")) {
      reactiveFlink =
          RescalePauses.reactive(repeats, s.eventsPerSecond(), s.checkpointInterval(), false);
    }
    List<Duration> requirements = List.of();
    if (wanted.contains("rescale-rr")) {
      requirements =
          RescalePauses.resourceRequirements(repeats, s.eventsPerSecond(), s.checkpointInterval());
    }
    if (wanted.contains("rescale")) {
      managed = RescalePauses.managedStyle(repeats, s.eventsPerSecond(), s.checkpointInterval());
    }

    List<String> out = new ArrayList<>();
    out.add("");
    out.add("### Flink " + release);
    if (!results.isEmpty()) {
      reclaimTables(out, cases, results, s, p, repeats);
    }
    if (!reactive.isEmpty() || !reactiveFlink.isEmpty() || !requirements.isEmpty()) {
      out.add("");
      out.add(
          "Rescale 2 -> 3 TaskManagers, same job, output pause from the last record emitted before"
              + " the step to the first after it:");
      header(out, "rescale", "pause (s)", "/ managed-style (target <= 0.10)");
      double managedMean = meanOf(managed);
      rescaleRow(
          out,
          "Reactive Mode, flinkspot's defaults ("
              + SpotCases.STABILIZATION.toMillis() / 1000.0
              + " s stabilization)",
          reactive,
          managedMean);
      rescaleRow(
          out,
          "Reactive Mode, Flink's defaults (no stabilization, 30 s cooldown)",
          reactiveFlink,
          managedMean);
      rescaleRow(
          out,
          "adaptive scheduler, upper bound PUT through REST (FLIP-291), flinkspot's defaults",
          requirements,
          managedMean);
      if (!managed.isEmpty()) {
        out.add(
            "| managed-style: stop with savepoint, start at 3 from it | "
                + seconds(managed)
                + " | 1 |");
      }
    }

    Path dir = Path.of(System.getProperty("benchmark.results-dir", "target/benchmarks"));
    Files.createDirectories(dir);
    String suffix = chosen.equals(allCases) ? "" : "-" + chosen.replace(',', '+');
    if (SpotCases.STABILIZATION_OVERRIDDEN || !script) {
      // A candidate setting: its own file, next to the defaults' one.
      suffix +=
          "-stabilization"
              + SpotCases.STABILIZATION.toSeconds()
              + "-prestop"
              + (script ? "script" : preStop.toSeconds());
    }
    Files.write(dir.resolve("recovery-" + release + suffix + ".md"), out);
    System.out.println();
    System.out.println("Spot interruption benchmark (issue 12), every release run into " + dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("recovery-")).sorted().toList()) {
        Files.readAllLines(f).forEach(System.out::println);
      }
    }
  }

  /** The reclaim cases' table, and their targets as ratios to (a) when (a) ran. */
  private static void reclaimTables(
      List<String> out,
      List<SpotCases.Case> cases,
      Map<String, List<SpotCases.Kill>> results,
      SpotCases.Settings s,
      String p,
      int repeats) {
    out.add("");
    out.add(
        String.format(
            "3 TaskManagers x 1 slot, %d events/s, checkpoint every %d s; the TaskManager goes %d s"
                + " after a periodic checkpoint; node launch %d s; preStop %s;"
                + " terminationGracePeriodSeconds %d; %d kills per case; (a) restarts after a"
                + " fixed 1 s. (b)-(d0): %s.",
            s.eventsPerSecond(),
            s.checkpointInterval().toSeconds(),
            s.killAfterCheckpoint().toSeconds(),
            s.nodeLaunch().toSeconds(),
            p,
            s.terminationGrace().toSeconds(),
            repeats,
            SpotCases.REACTIVE_DEFAULTS));
    header(
        out,
        "case",
        "records replayed",
        "restarts per interruption",
        "kill -> RUNNING (s)",
        "kill -> full parallelism (s)",
        "checkpoint on notice",
        "eviction -> SIGTERM (preStop, s)",
        "TM exit after SIGTERM (s)",
        "replacement registered after eviction (s)",
        "... after the old TM exited (s)");
    for (SpotCases.Case c : cases) {
      List<SpotCases.Kill> k = results.get(c.id());
      if (k == null) {
        continue;
      }
      out.add(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
              c.label(),
              figure(k, x -> x.replayed(), "%.0f"),
              figure(k, x -> x.restarts(), "%.0f"),
              figure(k, x -> x.toRunning().toMillis() / 1000.0, "%.1f"),
              figure(k, x -> x.toFull().toMillis() / 1000.0, "%.1f"),
              k.stream().map(SpotCases.Kill::noticeCheckpoint).collect(Collectors.joining("; ")),
              k.get(0).preStopTook() == null
                  ? "-"
                  : figure(k, x -> x.preStopTook().toMillis() / 1000.0, "%.1f"),
              k.get(0).exitAfterSigterm() == null
                  ? "- (SIGKILL)"
                  : figure(k, x -> x.exitAfterSigterm().toMillis() / 1000.0, "%.1f"),
              figure(k, x -> x.replacementRegistered().toMillis() / 1000.0, "%.1f"),
              k.get(0).exitAfterSigterm() == null
                  ? "-"
                  : figure(
                      k,
                      x ->
                          x.replacementRegistered()
                                  .minus(x.preStopTook())
                                  .minus(x.exitAfterSigterm())
                                  .toMillis()
                              / 1000.0,
                      "%.1f")));
    }
    List<SpotCases.Kill> a = results.get("a");
    if (a != null) {
      header(
          out,
          "case",
          "replay / (a) (target <= 0.20)",
          "restarts per interruption (target 1 with a spare)",
          "full parallelism / (a) (target <= 0.33)");
      for (SpotCases.Case c : cases) {
        List<SpotCases.Kill> k = results.get(c.id());
        if (k == null || c.id().equals("a")) {
          continue;
        }
        double replay = mean(k, x -> x.replayed()) / Math.max(1, mean(a, x -> x.replayed()));
        double full =
            mean(k, x -> x.toFull().toMillis()) / Math.max(1, mean(a, x -> x.toFull().toMillis()));
        boolean oneRestart = k.stream().allMatch(x -> x.restarts() == 1);
        out.add(
            String.format(
                "| %s | %.2f %s | %s %s | %.2f %s |",
                c.label(),
                replay,
                c.notice() ? (replay <= 0.2 ? "met" : "not met") : "",
                figure(k, x -> x.restarts(), "%.0f"),
                c.spare() ? (oneRestart ? "met" : "not met") : "",
                full,
                c.spare() ? (full <= 1 / 3.0 ? "met" : "not met") : ""));
      }
    }
  }

  /** One Reactive rescale row: the pauses, and their mean against the managed-style mean. */
  private static void rescaleRow(
      List<String> out, String label, List<Duration> pauses, double managedMean) {
    if (pauses.isEmpty()) {
      return;
    }
    double ratio = meanOf(pauses) / managedMean;
    out.add(
        managedMean > 0
            ? String.format(
                "| %s | %s | %.2f %s |",
                label, seconds(pauses), ratio, ratio <= 0.1 ? "met" : "not met")
            : String.format("| %s | %s | (no managed-style run) |", label, seconds(pauses)));
  }

  /** A blank line, then a Markdown table header. */
  private static void header(List<String> out, String... columns) {
    out.add("");
    out.add("| " + String.join(" | ", columns) + " |");
    out.add("|" + "---|".repeat(columns.length));
  }

  /** The mean and, over several kills, the range: {@code 4,210 (3,980-4,500)}. */
  private static String figure(
      List<SpotCases.Kill> kills, ToDoubleFunction<SpotCases.Kill> f, String format) {
    double min = kills.stream().mapToDouble(f).min().orElse(0);
    double max = kills.stream().mapToDouble(f).max().orElse(0);
    String mean = String.format(format, mean(kills, f));
    return kills.size() == 1 || min == max
        ? mean
        : mean + " (" + String.format(format, min) + "-" + String.format(format, max) + ")";
  }

  private static double mean(List<SpotCases.Kill> kills, ToDoubleFunction<SpotCases.Kill> f) {
    return kills.stream().mapToDouble(f).average().orElse(0);
  }

  private static double meanOf(List<Duration> d) {
    return d.stream().mapToLong(Duration::toMillis).average().orElse(0) / 1000.0;
  }

  private static String seconds(List<Duration> d) {
    return String.format(
        "%.1f (%s)",
        meanOf(d),
        d.stream()
            .map(x -> String.format("%.1f", x.toMillis() / 1000.0))
            .collect(Collectors.joining(", ")));
  }
}
