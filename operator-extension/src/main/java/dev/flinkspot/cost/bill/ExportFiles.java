package dev.flinkspot.cost.bill;

import dev.flinkspot.common.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of an AWS Data Exports delivery: one file, or a directory searched recursively (an
 * export lands as {@code <prefix>/<export>/data/BILLING_PERIOD=2026-07/...}). All Parquet, or all
 * CSV (plain or gzip); bounded in count and total size before anything is read.
 */
record ExportFiles(List<Path> files, boolean parquet, long totalBytes) {
  static final int MAX_FILES = 10_000;
  static final long MAX_TOTAL_BYTES = 64L << 30;

  static ExportFiles resolve(String path, String origin) {
    Path root = Path.of(path);
    if (!Files.exists(root)) {
      throw new UserInputException(
          origin + ": no such file or directory: give a Data Exports file or folder");
    }
    List<Path> parquet = new ArrayList<>();
    List<Path> csv = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> walk = Files.isDirectory(root) ? Files.walk(root, 8) : Stream.of(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".snappy.parquet")) {
          parquet.add(p);
        } else if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
          csv.add(p);
        } else if (!Files.isDirectory(root)) {
          throw new UserInputException(
              origin
                  + ": not a .parquet, .csv or .csv.gz file: export CUR 2.0 or FOCUS as Parquet or CSV");
        } else {
          continue;
        }
        bytes += Files.size(p);
        if (parquet.size() + csv.size() > MAX_FILES || bytes > MAX_TOTAL_BYTES) {
          throw new UserInputException(
              origin + ": more than 10,000 files or 64 GiB: point at one billing period's folder");
        }
      }
    } catch (IOException e) {
      throw new UserInputException(origin + ": cannot read: " + e.getMessage(), e);
    }
    if (!parquet.isEmpty() && !csv.isEmpty()) {
      throw new UserInputException(
          origin
              + ": holds both Parquet and CSV files: point at one export (one format) at a time");
    }
    if (parquet.isEmpty() && csv.isEmpty()) {
      throw new UserInputException(
          origin + ": no .parquet, .csv or .csv.gz file in it: give an export folder");
    }
    return new ExportFiles(parquet.isEmpty() ? csv : parquet, !parquet.isEmpty(), bytes);
  }

  /** A DuckDB table function reading every file, columns matched by name across files. */
  String tableFunction() {
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < files.size(); i++) {
      list.append(i == 0 ? "" : ", ").append(quote(files.get(i).toAbsolutePath().toString()));
    }
    list.append(']');
    return parquet
        ? "read_parquet(" + list + ", union_by_name = true)"
        : "read_csv(" + list + ", union_by_name = true, header = true, all_varchar = true)";
  }

  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
