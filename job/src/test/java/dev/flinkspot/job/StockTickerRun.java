package dev.flinkspot.job;

import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.OutputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One run of the stock-ticker job on a harness cluster with the deterministic generator: the
 * cluster spec, the exact expected output, and what the run really did (committed output, records
 * emitted more than once). Public for the end-to-end tests in e2e/.
 */
public final class StockTickerRun {
  static final Duration WINDOW_SIZE = Duration.ofSeconds(10);
  static final Duration WINDOW_SLIDE = Duration.ofSeconds(5);
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

  final Path dir;
  final long events;
  final long eventsPerSecond;

  public StockTickerRun(Path dir, long events, long eventsPerSecond) {
    this.dir = dir;
    this.events = events;
    this.eventsPerSecond = eventsPerSecond;
  }

  /** A cluster running the job on this run's input; no late events (see {@link ReferenceModel}). */
  public FlinkCluster.Builder cluster() {
    return cluster(dir);
  }

  /**
   * Like {@link #cluster()}, with the cluster's config, logs and checkpoints in {@code workDir}: a
   * second cluster that continues this run (e.g. from a savepoint) writes the same output and
   * trace.
   */
  FlinkCluster.Builder cluster(Path workDir) {
    return FlinkCluster.builder(workDir)
        .job(
            StockTickerJob.class.getName(),
            "--events",
            Long.toString(events),
            "--events-per-second",
            Long.toString(eventsPerSecond),
            "--late-every",
            "0",
            "--window-size",
            WINDOW_SIZE.toMillis() + "ms",
            "--window-slide",
            WINDOW_SLIDE.toMillis() + "ms",
            "--out-of-orderness",
            OUT_OF_ORDERNESS.toMillis() + "ms",
            "--output",
            output().toUri().toString(),
            "--trace-dir",
            trace().toString());
  }

  Path output() {
    return dir.resolve("out");
  }

  Path trace() {
    return dir.resolve("trace");
  }

  /** The window results the sink has committed, sorted. */
  public List<String> committed() {
    return OutputFiles.committedLines(output().resolve("max-price"));
  }

  /** The exact committed output of a correct run, sorted. */
  public List<String> expected() {
    return ReferenceModel.run(events, OUT_OF_ORDERNESS, 0, WINDOW_SIZE, WINDOW_SLIDE)
        .maxPerWindowCsv();
  }

  /** Every source index emitted, in any reader and any attempt (with repeats). */
  List<String> emitted() {
    return OutputFiles.allLines(trace());
  }

  /** How many distinct source indexes were emitted. */
  public long distinctEmitted() {
    return new HashSet<>(emitted()).size();
  }

  /** How many lines each trace file holds now: the "before" of {@link #replayedSince}. */
  public Map<Path, Integer> markTrace() {
    Map<Path, Integer> mark = new HashMap<>();
    for (Path f : traceFiles()) {
      mark.put(f, readLines(f).size());
    }
    return mark;
  }

  /**
   * How many distinct records emitted before {@code mark} were emitted again after it: the replay
   * caused by what happened at the mark (a later rescale replaying them once more adds nothing).
   */
  public long replayedSince(Map<Path, Integer> mark) {
    Set<String> before = new HashSet<>();
    Set<String> after = new HashSet<>();
    for (Path f : traceFiles()) {
      List<String> lines = readLines(f);
      int n = Math.min(mark.getOrDefault(f, 0), lines.size());
      before.addAll(lines.subList(0, n));
      after.addAll(lines.subList(n, lines.size()));
    }
    before.retainAll(after);
    return before.size();
  }

  /**
   * How many records emitted between {@code from} and {@code to} (two {@link #markTrace()}s) had
   * been emitted before: every replay in that span, whatever caused it (a failover, a rescale).
   */
  long reemittedBetween(Map<Path, Integer> from, Map<Path, Integer> to) {
    Set<String> seen = new HashSet<>();
    List<String> span = new ArrayList<>();
    for (Path f : traceFiles()) {
      List<String> lines = readLines(f);
      int a = Math.min(from.getOrDefault(f, 0), lines.size());
      int b = Math.max(a, Math.min(to.getOrDefault(f, 0), lines.size()));
      seen.addAll(lines.subList(0, a));
      span.addAll(lines.subList(a, b));
    }
    return span.stream().filter(line -> !seen.add(line)).count();
  }

  /** The bytes in the trace files now: grows while the source emits (unbuffered writes). */
  long traceBytes() {
    long bytes = 0;
    for (Path f : traceFiles()) {
      try {
        bytes += Files.size(f);
      } catch (IOException e) {
        // a file listed a moment ago is never deleted: treat a race as no bytes
      }
    }
    return bytes;
  }

  private List<Path> traceFiles() {
    if (!Files.isDirectory(trace())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(trace())) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Complete lines only: a line being written has no newline yet. */
  private static List<String> readLines(Path f) {
    try {
      String s = Files.readString(f);
      int end = s.lastIndexOf('\n');
      return end < 0 ? List.of() : List.of(s.substring(0, end).split("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
