package dev.flinkspot.flink.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what a Flink {@code FileSink} has committed: every line of every visible part file under a
 * directory. In-progress and pending files are hidden (their names start with a dot) and are not
 * output yet, so they are skipped.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /** All committed lines under {@code dir} (recursively), sorted; empty if it does not exist. */
  public static List<String> committedLines(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().startsWith(".")) {
          lines.addAll(Files.readAllLines(f));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lines.removeIf(String::isEmpty);
    lines.sort(null);
    return lines;
  }

  /**
   * Lines of all files directly in {@code dir} (e.g. a trace directory), unsorted; empty if it does
   * not exist.
   */
  public static List<String> allLines(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lines.removeIf(String::isEmpty);
    return lines;
  }
}
