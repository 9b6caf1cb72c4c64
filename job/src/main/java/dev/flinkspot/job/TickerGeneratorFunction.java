package dev.flinkspot.job;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Turns the generator source's sequence numbers into {@link TickerEvents}.
 *
 * <p>With a trace directory, each reader also appends every index it emits to its own file there
 * (one unbuffered write per event, so a SIGKILLed TaskManager loses nothing already emitted). A
 * test counts the indexes emitted more than once: the records a failover reprocessed. This is test
 * instrumentation; leave it off in production.
 */
public class TickerGeneratorFunction implements GeneratorFunction<Long, StockEvent> {
  private static final long serialVersionUID = 1L;

  private final long maxJitterMs;
  private final long lateEvery;
  private final String traceDir;
  private transient OutputStream trace;

  public TickerGeneratorFunction(long maxJitterMs, long lateEvery, String traceDir) {
    this.maxJitterMs = maxJitterMs;
    this.lateEvery = lateEvery;
    this.traceDir = traceDir;
  }

  @Override
  public void open(SourceReaderContext readerContext) throws IOException {
    if (traceDir != null) {
      Path dir = Path.of(traceDir);
      Files.createDirectories(dir);
      Path file =
          dir.resolve("source-" + readerContext.getIndexOfSubtask() + "-" + UUID.randomUUID());
      trace = new FileOutputStream(file.toFile(), true);
    }
  }

  @Override
  public StockEvent map(Long index) throws IOException {
    if (trace != null) {
      trace.write((index + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return TickerEvents.event(index, maxJitterMs, lateEvery);
  }

  @Override
  public void close() throws IOException {
    if (trace != null) {
      trace.close();
    }
  }
}
