package dev.flinkspot.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.io.InputStatus;

/**
 * The deterministic generator source, safe to rescale under event time.
 *
 * <p>Flink's {@link DataGeneratorSource} cuts the sequence into one split per reader and its reader
 * reads the splits it holds one after another with a single watermark generator. Event time follows
 * the index here, so once Reactive Mode scales down and a reader holds two splits, reading the
 * later one first would push the watermark past the earlier one's windows: they would fire early
 * and the rest of their events would count as late. So this source cuts the sequence into many
 * small splits handed out in order, and each reader reads the splits it holds in index order:
 * within a reader, event time only moves forward (up to the jitter the watermarks allow for).
 * Kafka's reader keeps a watermark per partition and needs none of this.
 */
public class TickerSource extends DataGeneratorSource<StockEvent> {
  private static final long serialVersionUID = 1L;

  /** Events per split: small enough to keep readers in step, big enough to make requests rare. */
  static final long SPLIT_SIZE = 1_000;

  private final long count;

  public TickerSource(
      GeneratorFunction<Long, StockEvent> generator, long count, RateLimiterStrategy rate) {
    super(generator, count, rate, TypeInformation.of(StockEvent.class));
    this.count = count;
  }

  @Override
  public SplitEnumerator<NumberSequenceSplit, java.util.Collection<NumberSequenceSplit>>
      createEnumerator(SplitEnumeratorContext<NumberSequenceSplit> context) {
    return new IteratorSourceEnumerator<>(context, splits(count));
  }

  @Override
  public SourceReader<StockEvent, NumberSequenceSplit> createReader(SourceReaderContext context)
      throws Exception {
    return new InIndexOrder(super.createReader(context));
  }

  /** {@code [0, count)} cut into consecutive splits of {@link #SPLIT_SIZE} (the last shorter). */
  static List<NumberSequenceSplit> splits(long count) {
    List<NumberSequenceSplit> splits = new ArrayList<>();
    for (long from = 0, id = 1; from < count; from += SPLIT_SIZE, id++) {
      splits.add(
          new NumberSequenceSplit(Long.toString(id), from, Math.min(count, from + SPLIT_SIZE) - 1));
    }
    return splits;
  }

  /** Hands the splits a reader gets (restored or assigned) to it in index order. */
  static final class InIndexOrder implements SourceReader<StockEvent, NumberSequenceSplit> {
    private final SourceReader<StockEvent, NumberSequenceSplit> reader;

    InIndexOrder(SourceReader<StockEvent, NumberSequenceSplit> reader) {
      this.reader = reader;
    }

    @Override
    public void addSplits(List<NumberSequenceSplit> splits) {
      List<NumberSequenceSplit> sorted = new ArrayList<>(splits);
      sorted.sort(Comparator.comparingLong(NumberSequenceSplit::from));
      reader.addSplits(sorted);
    }

    @Override
    public void start() {
      reader.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<StockEvent> output) throws Exception {
      return reader.pollNext(output);
    }

    @Override
    public List<NumberSequenceSplit> snapshotState(long checkpointId) {
      return reader.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return reader.isAvailable();
    }

    @Override
    public void notifyNoMoreSplits() {
      reader.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
      reader.handleSourceEvents(sourceEvent);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      reader.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      reader.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void close() throws Exception {
      reader.close();
    }
  }
}
