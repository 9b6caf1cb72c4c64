package dev.flinkspot.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of a FlinkDeployment's Flink configuration: slots, max parallelism, job
 * parallelism, deployment mode and Reactive Mode, and durations in Flink's notation. Scaling, the
 * cost CLI ({@code flinkspot cost}) and the live FlinkCostReports all read these numbers here, so
 * they agree about the same manifest. Lenient: an unset or unreadable number reads as Flink's
 * default; {@link #unreadable} tells a caller that must refuse bad input which value was bad.
 */
public final class FlinkConfiguration {

  /** {@code TaskManagerOptions.NUM_TASK_SLOTS}. */
  public static final String TASK_SLOTS = "taskmanager.numberOfTaskSlots";

  /** {@code PipelineOptions.MAX_PARALLELISM}. */
  public static final String MAX_PARALLELISM = "pipeline.max-parallelism";

  /** {@code JobManagerOptions.SCHEDULER_MODE}. */
  public static final String SCHEDULER_MODE = "scheduler-mode";

  /** {@code RestOptions.PORT}: the port of the JobManager's REST service. */
  public static final String REST_PORT = "rest.port";

  /** Flink's default {@code rest.port}. */
  public static final int DEFAULT_REST_PORT = 8081;

  /** Flink's default {@code taskmanager.numberOfTaskSlots}. */
  public static final int DEFAULT_SLOTS = 1;

  /**
   * The max parallelism Flink derives when {@code pipeline.max-parallelism} is unset and the job
   * parallelism is at most 85: {@code KeyGroupRangeAssignment.computeDefaultMaxParallelism} never
   * goes below 128.
   */
  public static final int DEFAULT_MAX_PARALLELISM = 128;

  private static final Pattern DURATION =
      Pattern.compile("^\\s*(\\d+)\\s*([a-zA-Zµ]*)\\s*$", Pattern.UNICODE_CASE);

  private final JsonNode conf;
  private final String mode;
  private final int jobParallelism;

  private FlinkConfiguration(JsonNode conf, String mode, int jobParallelism) {
    this.conf = conf;
    this.mode = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
    this.jobParallelism = jobParallelism;
  }

  /** The configuration of a raw FlinkDeployment (the whole object, with {@code spec}). */
  public static FlinkConfiguration of(JsonNode deployment) {
    JsonNode spec = deployment.path("spec");
    return new FlinkConfiguration(
        spec.path("flinkConfiguration"),
        spec.path("mode").asText(""),
        spec.path("job").path("parallelism").asInt(0));
  }

  /**
   * The configuration of a typed FlinkDeployment's parts.
   *
   * @param flinkConfiguration {@code spec.flinkConfiguration} (null when unset)
   * @param mode {@code spec.mode} ({@code native}/{@code standalone}; null when unset)
   * @param jobParallelism {@code spec.job.parallelism} (null or 0 when unset)
   */
  public static FlinkConfiguration of(
      Map<String, String> flinkConfiguration, String mode, Integer jobParallelism) {
    ObjectNode conf = JsonNodeFactory.instance.objectNode();
    if (flinkConfiguration != null) {
      flinkConfiguration.forEach(conf::put);
    }
    return new FlinkConfiguration(conf, mode, jobParallelism == null ? 0 : jobParallelism);
  }

  /**
   * {@code spec.mode: standalone}. The operator's default is native (FlinkDeploymentSpec.mode,
   * flink-kubernetes-operator-api 1.10).
   */
  public boolean standalone() {
    return "standalone".equals(mode);
  }

  /**
   * Reactive Mode: {@code scheduler-mode: reactive} in standalone mode. Flink runs Reactive Mode
   * only as a standalone application deployment
   * (https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/elastic_scaling/#limitations).
   */
  public boolean reactive() {
    return standalone() && get(SCHEDULER_MODE).filter("reactive"::equalsIgnoreCase).isPresent();
  }

  /** {@code spec.job.parallelism} when it is positive. */
  public OptionalInt jobParallelism() {
    return jobParallelism > 0 ? OptionalInt.of(jobParallelism) : OptionalInt.empty();
  }

  /** The text of a key that is set but is not a positive integer, for a caller that refuses it. */
  public Optional<String> unreadable(String key) {
    return get(key).filter(text -> positiveInt(text).isEmpty());
  }

  /** The value of a key as text, or empty when unset (null and blank count as unset). */
  public Optional<String> get(String key) {
    JsonNode v = conf.get(key);
    if (v == null || v.isNull() || v.isContainerNode() || v.asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.asText().trim());
  }

  public boolean has(String key) {
    return get(key).isPresent();
  }

  /** Whether any key that starts with {@code prefix} is set (null and blank count as unset). */
  public boolean hasAnyStartingWith(String prefix) {
    for (var names = conf.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (key.startsWith(prefix) && has(key)) {
        return true;
      }
    }
    return false;
  }

  /** Slots per TaskManager; Flink's default 1 when unset or unreadable. */
  public int slots() {
    return get(TASK_SLOTS).flatMap(FlinkConfiguration::positiveInt).orElse(DEFAULT_SLOTS);
  }

  /** The JobManager REST port ({@code rest.port}; 8081 when unset or not a port). */
  public int restPort() {
    return get(REST_PORT)
        .flatMap(FlinkConfiguration::positiveInt)
        .filter(p -> p <= 65535)
        .orElse(DEFAULT_REST_PORT);
  }

  /** The configured {@code pipeline.max-parallelism}, when it is a positive number. */
  public Optional<Integer> configuredMaxParallelism() {
    return get(MAX_PARALLELISM).flatMap(FlinkConfiguration::positiveInt);
  }

  /** The max parallelism the job runs with: the configured one, else Flink's default 128. */
  public int maxParallelism() {
    return configuredMaxParallelism().orElse(DEFAULT_MAX_PARALLELISM);
  }

  /** A duration key parsed as Flink does (a bare number is milliseconds), when readable. */
  public Optional<Duration> duration(String key) {
    return get(key).flatMap(FlinkConfiguration::parseDuration);
  }

  public static Optional<Integer> positiveInt(String text) {
    try {
      int n = Integer.parseInt(text.trim());
      return n > 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Parses Flink's duration notation ({@code 30s}, {@code 1 min}, {@code 500}); ISO-8601 too. */
  public static Optional<Duration> parseDuration(String text) {
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
