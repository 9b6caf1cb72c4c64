package dev.flinkspot.cost.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.common.UserInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Reads a load trace, in one of two formats (both documented in the README, "Load traces"):
 *
 * <ul>
 *   <li>CSV with a header {@code timestamp,busy_vcpus} or {@code timestamp,records_per_second};
 *       timestamps are ISO-8601 instants or epoch seconds, in increasing order; {@code #} starts a
 *       comment line. Records per second need the measured capacity of one slot on one vCPU ({@code
 *       --slot-capacity}), which turns them into busy vCPUs.
 *   <li>A Prometheus range-query response ({@code /api/v1/query_range}, {@code resultType matrix}):
 *       the series are summed per timestamp; the values are busy vCPUs (e.g. {@code
 *       sum(rate(container_cpu_usage_seconds_total[5m]))}), or records per second when {@code
 *       --slot-capacity} is given.
 * </ul>
 *
 * Every size is bounded before it is used: the file, the number of samples, the duration, the
 * values.
 */
public final class LoadTraceReader {
  static final long MAX_FILE_BYTES = 64L << 20;
  static final int MAX_SAMPLES = 1_000_000;
  static final long MIN_DURATION_SECONDS = 600;
  static final long MAX_DURATION_SECONDS = 400L * 24 * 3600;
  static final long MAX_STEP_SECONDS = 24 * 3600;
  static final double MAX_BUSY_VCPUS = 100_000;
  static final double MAX_SLOT_CAPACITY = 1e9;

  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadTraceReader() {}

  /**
   * Reads {@code file}; {@code slotCapacity} (records/s one slot processes on one vCPU) is needed
   * for records-per-second traces and turns a Prometheus export into records per second.
   */
  public static LoadTrace read(Path file, OptionalDouble slotCapacity) {
    if (slotCapacity.isPresent()
        && !(slotCapacity.getAsDouble() > 0 && slotCapacity.getAsDouble() <= MAX_SLOT_CAPACITY)) {
      throw new UserInputException(
          "--slot-capacity = "
              + slotCapacity.getAsDouble()
              + ": give the records per second one slot processes on one vCPU, above 0 and at most 1e9");
    }
    String name = "--load-trace " + file;
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UserInputException(name + ": cannot read (" + e.getMessage() + "): check the path");
    }
    if (size > MAX_FILE_BYTES) {
      throw new UserInputException(
          name
              + ": "
              + size
              + " bytes, above the 64 MiB limit: use a coarser step or a shorter range");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException(name + ": cannot read (" + e.getMessage() + "): check the path");
    }
    String trimmed = text.stripLeading();
    TreeMap<Long, Double> samples;
    String unit;
    String format;
    if (trimmed.startsWith("{")) {
      format = "Prometheus range query";
      samples = prometheus(name, trimmed);
      unit = slotCapacity.isPresent() ? "records/s" : "busy vCPUs";
    } else {
      format = "CSV";
      Csv csv = csv(name, text);
      samples = csv.samples();
      unit = csv.recordsPerSecond() ? "records/s" : "busy vCPUs";
      if (csv.recordsPerSecond() && slotCapacity.isEmpty()) {
        throw new UserInputException(
            name
                + ": records_per_second needs --slot-capacity RPS, the records per second one slot"
                + " processes on one vCPU (measure it at full CPU)");
      }
    }
    double perVcpu = unit.equals("records/s") ? slotCapacity.getAsDouble() : 1;
    return build(name, format, unit, samples, perVcpu);
  }

  private record Csv(TreeMap<Long, Double> samples, boolean recordsPerSecond) {}

  private static Csv csv(String name, String text) {
    TreeMap<Long, Double> samples = new TreeMap<>();
    Boolean records = null;
    long previous = Long.MIN_VALUE;
    int lineNumber = 0;
    try (BufferedReader lines = new BufferedReader(new java.io.StringReader(text))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] cells = l.split(",", -1);
        if (records == null) {
          String header = l.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
          if (header.equals("timestamp,busy_vcpus")) {
            records = false;
          } else if (header.equals("timestamp,records_per_second")) {
            records = true;
          } else {
            throw new UserInputException(
                name
                    + " line "
                    + lineNumber
                    + ": header is '"
                    + abbreviate(l)
                    + "': start the CSV with 'timestamp,busy_vcpus' or 'timestamp,records_per_second'");
          }
          continue;
        }
        if (cells.length != 2) {
          throw new UserInputException(
              name
                  + " line "
                  + lineNumber
                  + ": expected 2 columns (timestamp,value), got "
                  + cells.length);
        }
        long t = timestamp(name + " line " + lineNumber, cells[0].strip());
        double v = number(name + " line " + lineNumber, cells[1].strip());
        if (t <= previous) {
          throw new UserInputException(
              name
                  + " line "
                  + lineNumber
                  + ": timestamp "
                  + cells[0].strip()
                  + " is not after the previous one: sort the rows by time, without duplicates");
        }
        previous = t;
        samples.put(t, v);
        if (samples.size() > MAX_SAMPLES) {
          throw new UserInputException(
              name + ": more than " + MAX_SAMPLES + " samples: use a coarser step");
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (records == null) {
      throw new UserInputException(
          name + ": empty: start with the header 'timestamp,busy_vcpus' and add rows");
    }
    return new Csv(samples, records);
  }

  private static TreeMap<Long, Double> prometheus(String name, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserInputException(
          name
              + ": not valid JSON ("
              + e.getOriginalMessage()
              + "): save the query_range response as is");
    }
    if (!"success".equals(root.path("status").asText())
        || !"matrix".equals(root.path("data").path("resultType").asText())) {
      throw new UserInputException(
          name
              + ": not a successful Prometheus range query (need status success, data.resultType"
              + " matrix): export /api/v1/query_range, not /api/v1/query");
    }
    TreeMap<Long, Double> sums = new TreeMap<>();
    int count = 0;
    for (JsonNode series : root.path("data").path("result")) {
      for (JsonNode point : series.path("values")) {
        if (!point.isArray() || point.size() != 2 || !point.get(0).isNumber()) {
          throw new UserInputException(
              name
                  + ": a value is not [unix_seconds, \"number\"]: export the raw query_range response");
        }
        if (++count > MAX_SAMPLES) {
          throw new UserInputException(
              name + ": more than " + MAX_SAMPLES + " samples: use a coarser step");
        }
        long t = Math.round(point.get(0).asDouble());
        double v = number(name + " at " + t, point.get(1).asText());
        sums.merge(t, v, Double::sum);
      }
    }
    return sums;
  }

  private static LoadTrace build(
      String name, String format, String unit, TreeMap<Long, Double> samples, double perVcpu) {
    if (samples.size() < 2) {
      throw new UserInputException(
          name
              + ": "
              + samples.size()
              + " sample(s): a trace needs at least two, covering 10 minutes or more");
    }
    long start = samples.firstKey();
    long step = Long.MAX_VALUE;
    Long prev = null;
    for (long t : samples.keySet()) {
      if (prev != null) {
        step = Math.min(step, t - prev);
      }
      prev = t;
    }
    long duration = samples.lastKey() - start + step;
    if (step > MAX_STEP_SECONDS) {
      throw new UserInputException(
          name + ": samples " + step + " s apart: give at least one sample a day");
    }
    if (duration < MIN_DURATION_SECONDS || duration > MAX_DURATION_SECONDS) {
      throw new UserInputException(
          name
              + ": covers "
              + duration
              + " s: a trace must cover 10 minutes (MSF's minimum bill) to 400 days");
    }
    long[] offsets = new long[samples.size()];
    double[] vcpus = new double[samples.size()];
    int i = 0;
    for (Map.Entry<Long, Double> e : samples.entrySet()) {
      offsets[i] = e.getKey() - start;
      vcpus[i] = e.getValue() / perVcpu;
      if (vcpus[i] > MAX_BUSY_VCPUS) {
        throw new UserInputException(
            name
                + ": "
                + e.getValue()
                + " "
                + unit
                + " at "
                + Instant.ofEpochSecond(e.getKey())
                + " is more than 100,000 busy vCPUs: check the unit (and --slot-capacity)");
      }
      i++;
    }
    String unitText =
        unit.equals("records/s")
            ? "records/s at " + fmt(perVcpu) + " records/s per slot-vCPU (--slot-capacity)"
            : unit;
    return new LoadTrace(
        name.substring("--load-trace ".length()) + " (" + format + ")",
        unitText,
        start,
        offsets,
        vcpus,
        step);
  }

  static long timestamp(String where, String cell) {
    try {
      if (cell.matches("\\d+(\\.\\d+)?")) {
        return Math.round(Double.parseDouble(cell));
      }
      return Instant.parse(cell).getEpochSecond();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new UserInputException(
          where
              + ": timestamp '"
              + abbreviate(cell)
              + "': use an ISO-8601 instant (2026-07-01T00:00:00Z) or epoch seconds");
    }
  }

  static double number(String where, String cell) {
    double v;
    try {
      v = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v) || v < 0) {
      throw new UserInputException(
          where + ": value '" + abbreviate(cell) + "': use a finite number, zero or more");
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
