package dev.flinkspot.controller;

import dev.flinkspot.flink.CheckpointTrigger;
import dev.flinkspot.flink.JobManagerAddress;
import dev.flinkspot.flink.RestCheckpointTrigger;
import java.time.Duration;

/**
 * How the Spot notice loop reaches JobManagers and how long it waits.
 *
 * @param address where a deployment's JobManager REST API answers (tests point it elsewhere)
 * @param trigger takes the checkpoint
 * @param window one checkpoint per deployment per node within it (longer than the 2-minute notice,
 *     so a flapping taint causes no storm)
 * @param deadline for one checkpoint, connecting included (within the 2-minute Spot notice)
 * @param workers checkpoints waited for at once (each mostly sleeps between polls)
 */
public record SpotNoticeSettings(
    JobManagerAddress address,
    CheckpointTrigger trigger,
    Duration window,
    Duration deadline,
    int workers) {

  /** The REST Service of each deployment, a 10-minute window, 90 s per checkpoint, 4 at once. */
  public static SpotNoticeSettings production() {
    return new SpotNoticeSettings(
        JobManagerAddress.serviceDns(),
        RestCheckpointTrigger.defaults(),
        Duration.ofMinutes(10),
        Duration.ofSeconds(90),
        4);
  }

  /** The same, with the JobManagers found at {@code address} (tests). */
  public SpotNoticeSettings at(JobManagerAddress other) {
    return new SpotNoticeSettings(other, trigger, window, deadline, workers);
  }
}
