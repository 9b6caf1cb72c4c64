package dev.flinkspot.cost.trace;

import java.time.Instant;

/**
 * The work a job must do over time, in busy vCPUs: sample {@code i} holds from {@code
 * startEpochSeconds + offsets[i]} until the next sample; the last one holds for {@code stepSeconds}
 * (the smallest gap between samples).
 *
 * @param source where it came from (file name and format), for the report
 * @param unit what the file gave: "busy vCPUs" or "records/s at N records/s per vCPU"
 */
public record LoadTrace(
    String source,
    String unit,
    long startEpochSeconds,
    long[] offsets,
    double[] busyVcpus,
    long stepSeconds) {

  public LoadTrace {
    if (offsets.length != busyVcpus.length || offsets.length == 0) {
      throw new IllegalArgumentException("a trace needs as many offsets as values, at least one");
    }
  }

  public Instant start() {
    return Instant.ofEpochSecond(startEpochSeconds);
  }

  public int samples() {
    return offsets.length;
  }

  /** Seconds from the first sample to the end of the last one. */
  public long durationSeconds() {
    return offsets[offsets.length - 1] + stepSeconds;
  }

  /** The load at {@code second} after the start: the last sample at or before it. */
  public double loadAt(long second) {
    int lo = 0;
    int hi = offsets.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (offsets[mid] <= second) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return busyVcpus[lo];
  }

  /** A cursor for reading the load second by second in increasing order, without searching. */
  Cursor cursor() {
    return new Cursor();
  }

  /** Reads loads at non-decreasing seconds in amortised constant time. */
  final class Cursor {
    private int index;

    double loadAt(long second) {
      while (index + 1 < offsets.length && offsets[index + 1] <= second) {
        index++;
      }
      return busyVcpus[index];
    }
  }
}
