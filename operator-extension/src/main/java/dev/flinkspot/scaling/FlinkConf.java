package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only view of a raw FlinkDeployment's {@code spec.flinkConfiguration} and the numbers the
 * scaling decisions derive from it (slots, max parallelism, durations in Flink's notation).
 */
final class FlinkConf {

  /** Flink's default {@code taskmanager.numberOfTaskSlots}. */
  static final int DEFAULT_SLOTS = 1;

  /**
   * The max parallelism Flink derives when {@code pipeline.max-parallelism} is unset and the job
   * parallelism is at most 85: {@code KeyGroupRangeAssignment.computeDefaultMaxParallelism} never
   * goes below 128.
   */
  static final int DEFAULT_MAX_PARALLELISM = 128;

  private static final Pattern DURATION =
      Pattern.compile("^\\s*(\\d+)\\s*([a-zA-Zµ]*)\\s*$", Pattern.UNICODE_CASE);

  private final JsonNode conf;

  private FlinkConf(JsonNode conf) {
    this.conf = conf;
  }

  /** The configuration of a FlinkDeployment (the whole object, with {@code spec}). */
  static FlinkConf of(JsonNode deployment) {
    return new FlinkConf(deployment.path("spec").path("flinkConfiguration"));
  }

  /** The value of a key as text, or empty when unset (null and blank count as unset). */
  Optional<String> get(String key) {
    JsonNode v = conf.get(key);
    if (v == null || v.isNull() || v.isContainerNode() || v.asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.asText().trim());
  }

  boolean has(String key) {
    return get(key).isPresent();
  }

  /** Slots per TaskManager; Flink's default 1 when unset or unreadable. */
  int slots() {
    return get(FlinkKeys.TASK_SLOTS).flatMap(FlinkConf::positiveInt).orElse(DEFAULT_SLOTS);
  }

  /** The configured {@code pipeline.max-parallelism}, when it is a positive number. */
  Optional<Integer> configuredMaxParallelism() {
    return get(FlinkKeys.MAX_PARALLELISM).flatMap(FlinkConf::positiveInt);
  }

  /** The max parallelism the job runs with: the configured one, else Flink's default 128. */
  int maxParallelism() {
    return configuredMaxParallelism().orElse(DEFAULT_MAX_PARALLELISM);
  }

  /** A duration key parsed as Flink does (a bare number is milliseconds), when readable. */
  Optional<Duration> duration(String key) {
    return get(key).flatMap(FlinkConf::parseDuration);
  }

  static Optional<Integer> positiveInt(String text) {
    try {
      int n = Integer.parseInt(text.trim());
      return n > 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Parses Flink's duration notation ({@code 30s}, {@code 1 min}, {@code 500}); ISO-8601 too. */
  static Optional<Duration> parseDuration(String text) {
    if (text.startsWith("P") || text.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(text));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "ms", "milli", "millis", "millisecond", "milliseconds" ->
          Optional.of(Duration.ofMillis(n));
      case "s", "sec", "secs", "second", "seconds" -> Optional.of(Duration.ofSeconds(n));
      case "m", "min", "mins", "minute", "minutes" -> Optional.of(Duration.ofMinutes(n));
      case "h", "hour", "hours" -> Optional.of(Duration.ofHours(n));
      case "d", "day", "days" -> Optional.of(Duration.ofDays(n));
      case "ns", "nano", "nanos", "nanosecond", "nanoseconds" -> Optional.of(Duration.ofNanos(n));
      case "µs", "us", "micro", "micros", "microsecond", "microseconds" ->
          Optional.of(Duration.ofNanos(n * 1000));
      default -> Optional.empty();
    };
  }
}
