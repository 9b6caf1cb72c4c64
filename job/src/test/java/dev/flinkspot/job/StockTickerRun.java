package dev.flinkspot.job;

import dev.flinkspot.flink.harness.FlinkCluster;
import dev.flinkspot.flink.harness.OutputFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One run of the stock-ticker job on a harness cluster with the deterministic generator: the
 * cluster spec, the exact expected output, and what the run really did (committed output, records
 * emitted more than once).
 */
final class StockTickerRun {
  static final Duration WINDOW_SIZE = Duration.ofSeconds(10);
  static final Duration WINDOW_SLIDE = Duration.ofSeconds(5);
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

  final Path dir;
  final long events;
  final long eventsPerSecond;

  StockTickerRun(Path dir, long events, long eventsPerSecond) {
    this.dir = dir;
    this.events = events;
    this.eventsPerSecond = eventsPerSecond;
  }

  /** A cluster running the job on this run's input; no late events (see {@link ReferenceModel}). */
  FlinkCluster.Builder cluster() {
    return FlinkCluster.builder(dir)
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
  List<String> committed() {
    return OutputFiles.committedLines(output().resolve("max-price"));
  }

  /** The exact committed output of a correct run, sorted. */
  List<String> expected() {
    return ReferenceModel.run(events, OUT_OF_ORDERNESS, 0, WINDOW_SIZE, WINDOW_SLIDE)
        .maxPerWindowCsv();
  }

  /** Every source index emitted, in any reader and any attempt (with repeats). */
  List<String> emitted() {
    return OutputFiles.allLines(trace());
  }

  /** How many distinct source indexes were emitted. */
  long distinctEmitted() {
    return new HashSet<>(emitted()).size();
  }

  /** Records the source emitted more than once: what failovers and rescales replayed. */
  long reprocessed() {
    List<String> all = emitted();
    Set<String> distinct = new HashSet<>(all);
    return all.size() - distinct.size();
  }
}
