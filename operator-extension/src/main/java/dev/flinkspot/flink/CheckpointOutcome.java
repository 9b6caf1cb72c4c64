package dev.flinkspot.flink;

import java.time.Duration;

/**
 * What came of a checkpoint taken through the JobManager REST API.
 *
 * @param result what happened
 * @param jobId the job checkpointed, or null when none was found
 * @param checkpointId Flink's checkpoint id when {@link Result#COMPLETED}, else -1
 * @param took from the first request to the outcome
 * @param detail for anything but COMPLETED: the reason, in one line
 */
public record CheckpointOutcome(
    Result result, String jobId, long checkpointId, Duration took, String detail) {

  /** How a checkpoint request ended. */
  public enum Result {
    /** Flink reports the checkpoint completed. */
    COMPLETED,
    /** Flink reports the checkpoint failed (its failure cause is the detail). */
    FAILED,
    /** No job is RUNNING (starting, restarting, finished, or none submitted). */
    NO_RUNNING_JOB,
    /** The REST API did not answer: no route, refused, DNS, or no reply in time. */
    UNREACHABLE,
    /** The REST API answered with an error status or a body that is not what Flink sends. */
    BAD_RESPONSE,
    /** The deadline passed before Flink reported an outcome. */
    TIMED_OUT;

    /** The Prometheus label. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean completed() {
    return result == Result.COMPLETED;
  }

  static CheckpointOutcome failed(Result result, String jobId, Duration took, String detail) {
    return new CheckpointOutcome(result, jobId, -1, took, detail);
  }
}
