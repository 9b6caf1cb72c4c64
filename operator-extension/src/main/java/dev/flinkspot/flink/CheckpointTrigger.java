package dev.flinkspot.flink;

import java.net.URI;
import java.time.Duration;

/** Takes a checkpoint of the job a JobManager runs, now, and waits for its outcome. */
@FunctionalInterface
public interface CheckpointTrigger {

  /**
   * Triggers a checkpoint of the RUNNING job at {@code restBase} and waits until it completes,
   * fails or {@code deadline} (for everything, connecting included) passes. Never throws for a
   * remote failure: the outcome says what went wrong.
   */
  CheckpointOutcome checkpoint(URI restBase, Duration deadline);
}
