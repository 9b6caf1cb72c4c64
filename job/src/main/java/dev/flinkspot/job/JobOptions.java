package dev.flinkspot.job;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.util.TimeUtils;

/**
 * Every setting of the job, typed and defaulted in one place, parsed from {@code --key value}
 * arguments. {@code --source} and {@code --sink} select the wiring: {@code generator} + {@code
 * file} locally, {@code kafka} + {@code s3} in production.
 */
public record JobOptions(
    String source,
    String sink,
    String output,
    long events,
    long eventsPerSecond,
    long lateEvery,
    String traceDir,
    String kafkaBootstrapServers,
    String kafkaTopic,
    String kafkaGroupId,
    Properties kafkaProperties,
    Duration windowSize,
    Duration windowSlide,
    Duration outOfOrderness,
    Duration checkpointInterval,
    String stateBackend,
    String checkpointDir) {

  public static final List<String> SOURCES = List.of("generator", "kafka");
  public static final List<String> SINKS = List.of("file", "s3");

  /** How the options read when no argument is given. */
  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("source", "generator"),
          Map.entry("sink", "file"),
          Map.entry("output", "file:///tmp/flinkspot/stock-ticker"),
          Map.entry("events", "1000000"),
          Map.entry("events-per-second", "1000"),
          Map.entry("late-every", "1000"),
          Map.entry("kafka-topic", "stock-ticker"),
          Map.entry("kafka-group-id", "flinkspot-stock-ticker"),
          Map.entry("window-size", "10s"),
          Map.entry("window-slide", "5s"),
          Map.entry("out-of-orderness", "2s"));

  public static JobOptions parse(String... args) {
    Map<String, String> v = new HashMap<>(DEFAULTS);
    Properties kafka = new Properties();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value pairs, got: " + arg);
      }
      String key = arg.substring(2);
      String value = args[++i];
      if (key.startsWith("kafka.")) {
        kafka.setProperty(key.substring("kafka.".length()), value);
      } else if (DEFAULTS.containsKey(key) || OPTIONAL.contains(key)) {
        v.put(key, value);
      } else {
        throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    JobOptions o =
        new JobOptions(
            v.get("source"),
            v.get("sink"),
            v.get("output"),
            Long.parseLong(v.get("events")),
            Long.parseLong(v.get("events-per-second")),
            Long.parseLong(v.get("late-every")),
            v.get("trace-dir"),
            v.get("kafka-bootstrap-servers"),
            v.get("kafka-topic"),
            v.get("kafka-group-id"),
            kafka,
            TimeUtils.parseDuration(v.get("window-size")),
            TimeUtils.parseDuration(v.get("window-slide")),
            TimeUtils.parseDuration(v.get("out-of-orderness")),
            v.containsKey("checkpoint-interval")
                ? TimeUtils.parseDuration(v.get("checkpoint-interval"))
                : null,
            v.get("state-backend"),
            v.get("checkpoint-dir"));
    o.validate();
    return o;
  }

  private static final List<String> OPTIONAL =
      List.of(
          "trace-dir",
          "kafka-bootstrap-servers",
          "checkpoint-interval",
          "state-backend",
          "checkpoint-dir");

  private void validate() {
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("--source must be one of " + SOURCES + ": " + source);
    }
    if (!SINKS.contains(sink)) {
      throw new IllegalArgumentException("--sink must be one of " + SINKS + ": " + sink);
    }
    if (source.equals("kafka") && kafkaBootstrapServers == null) {
      throw new IllegalArgumentException("--source kafka needs --kafka-bootstrap-servers");
    }
    if (sink.equals("s3") && !(output.startsWith("s3://") || output.startsWith("s3a://"))) {
      throw new IllegalArgumentException("--sink s3 needs --output s3://bucket/path: " + output);
    }
    if (events <= 0 || eventsPerSecond < 0 || lateEvery < 0) {
      throw new IllegalArgumentException("--events > 0, --events-per-second and --late-every >= 0");
    }
    if (windowSlide.isZero() || windowSize.compareTo(windowSlide) < 0) {
      throw new IllegalArgumentException("need 0 < --window-slide <= --window-size");
    }
  }
}
