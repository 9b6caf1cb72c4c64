package dev.flinkspot.flink.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where a cluster keeps its config, logs, checkpoints and output: under {@code
 * -Dflinkspot.harness.work-root} (Maven sets {@code target/flink-harness}), kept after the run so a
 * failed test's logs can be read.
 */
public final class WorkDirs {
  private WorkDirs() {}

  public static Path create(String name) {
    Path root = Path.of(System.getProperty("flinkspot.harness.work-root", "target/flink-harness"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"));
    try {
      return Files.createDirectories(root.resolve(name + "-" + stamp)).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
