package dev.flinkspot.job;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The sample job: stock-ticker events, keyed by ticker, the highest price per sliding event-time
 * window, written exactly once to files (local) or S3; late events counted and kept.
 *
 * <p>Arguments: see {@link JobOptions} and {@code job/README.md}.
 */
public final class StockTickerJob {
  /**
   * Max parallelism, fixed for the life of the job's state: 720 has 30 divisors (1..6, 8, 9, 10,
   * 12, 15, 16, 18, 20, 24, ...), so most TaskManager counts split the key groups evenly.
   */
  public static final int MAX_PARALLELISM = 720;

  /** Watermarks advance in steps of at least this much (see {@link TickerWatermarks}). */
  static final long WATERMARK_STEP_MS = 200;

  static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);

  private StockTickerJob() {}

  public static void main(String[] args) throws Exception {
    JobOptions options = JobOptions.parse(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, options);
    env.execute("stock-ticker");
  }

  /** Wires the job into {@code env}: checkpointing, source, pipeline, sinks. */
  public static void build(StreamExecutionEnvironment env, JobOptions options) {
    configureCheckpointing(env, options);
    env.setMaxParallelism(MAX_PARALLELISM);

    DataStream<StockEvent> events =
        env.fromSource(source(options), watermarks(options), "ticker-source").uid("ticker-source");

    StockTickerPipeline.Outputs out =
        StockTickerPipeline.apply(events, options.windowSize(), options.windowSlide());

    out.maxPerWindow()
        .map(WindowMax::toCsv)
        .name("max-price-csv")
        .uid("max-price-csv")
        .sinkTo(fileSink(options.output() + "/max-price", "max-price"))
        .name("max-price-sink")
        .uid("max-price-sink");
    out.lateEvents()
        .map(StockEvent::toCsv)
        .name("late-events-csv")
        .uid("late-events-csv")
        .sinkTo(fileSink(options.output() + "/late-events", "late-events"))
        .name("late-events-sink")
        .uid("late-events-sink");
  }

  /**
   * Exactly-once checkpoints always; the interval, state backend and checkpoint directory come from
   * the cluster's configuration unless the arguments set them (the k8s example sets RocksDB and S3
   * there).
   */
  static void configureCheckpointing(StreamExecutionEnvironment env, JobOptions options) {
    Configuration conf = new Configuration();
    if (options.stateBackend() != null) {
      conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend());
    }
    if (options.checkpointDir() != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpointDir());
    }
    env.configure(conf);
    Duration interval = options.checkpointInterval();
    if (interval == null) {
      interval =
          env.getCheckpointConfig().isCheckpointingEnabled()
              ? Duration.ofMillis(env.getCheckpointConfig().getCheckpointInterval())
              : DEFAULT_CHECKPOINT_INTERVAL;
    }
    env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
  }

  static WatermarkStrategy<StockEvent> watermarks(JobOptions options) {
    long bound = options.outOfOrderness().toMillis();
    return WatermarkStrategy.<StockEvent>forGenerator(
            ctx -> new TickerWatermarks(bound, WATERMARK_STEP_MS))
        .withTimestampAssigner((event, recordTimestamp) -> event.eventTime);
  }

  static Source<StockEvent, ?, ?> source(JobOptions options) {
    if (options.source().equals("kafka")) {
      return KafkaSource.<StockEvent>builder()
          .setBootstrapServers(options.kafkaBootstrapServers())
          .setTopics(options.kafkaTopic())
          .setGroupId(options.kafkaGroupId())
          .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
          .setValueOnlyDeserializer(new StockEventJson())
          .setProperties(options.kafkaProperties())
          .build();
    }
    // Jitter up to the out-of-orderness bound: on-time events are never late.
    long jitter = options.outOfOrderness().toMillis();
    RateLimiterStrategy rate =
        options.eventsPerSecond() == 0
            ? RateLimiterStrategy.noOp()
            : RateLimiterStrategy.perSecond(options.eventsPerSecond());
    return new TickerSource(
        new TickerGeneratorFunction(jitter, options.lateEvery(), options.traceDir()),
        options.events(),
        rate);
  }

  /**
   * A transactional file sink: part files roll on every checkpoint and become visible only when the
   * checkpoint completes, so what a reader sees is exactly-once.
   */
  static FileSink<String> fileSink(String path, String prefix) {
    return FileSink.forRowFormat(new Path(path), new SimpleStringEncoder<String>("UTF-8"))
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(
            OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(".csv").build())
        .build();
  }
}
