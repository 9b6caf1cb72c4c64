package dev.flinkspot.cost.trace;

import dev.flinkspot.common.UserInputException;
import java.time.Duration;

/**
 * The timings a trace simulation rests on, each with the CLI option that overrides it.
 *
 * @param rescalePause processing stop per Reactive Mode rescale (--rescale-pause)
 * @param msfScalingPause processing stop per MSF scaling operation (--msf-scaling-pause)
 * @param nodeLaunch from a node being wanted to a TaskManager running on it (--node-launch-delay)
 * @param nodeRelease how long an unneeded node stays before it is removed (--node-release-delay)
 * @param msfMaxParallelism MSF's ceiling, or 0 for the job's max parallelism capped by the KPU
 *     quota (--msf-max-parallelism)
 */
public record TraceSettings(
    Duration rescalePause,
    Duration msfScalingPause,
    Duration nodeLaunch,
    Duration nodeRelease,
    int msfMaxParallelism) {

  /**
   * Reactive Mode rescale pause with flinkspot's admission defaults on Flink 1.20 (a 1 s resource
   * stabilization, which Flink 1.20's adaptive scheduler waits out on every rescale), measured by
   * the job module's RecoveryBenchmark (job/src/test/java/dev/flinkspot/job/RecoveryBenchmark.java,
   * case "rescale": 2 -> 3 TaskManagers, small state, last output before the step to the first
   * after it): 1.1, 1.1 s, 2026-12-02 ({@code -Dbenchmark.cases=a,d,rescale
   * -Dbenchmark.repeats=2}). The former 10 s stabilization gave 10.3 s, 2 s gave 2.1 s: the pause
   * is the stabilization plus ~0.1-0.2 s. Flink 2.x skips the stabilization on a rescale (0.1 s
   * measured on 2.2.1).
   */
  public static final Duration MEASURED_RESCALE_PAUSE = Duration.ofMillis(1100);

  /**
   * Low end of the 10-20 minutes of paused processing per MSF scaling operation reported for large
   * state (AWS Big Data Blog, "Real-time cost savings for Amazon Managed Service for Apache Flink";
   * /work/shared/design/COST-MODEL.md); small state restarts faster.
   */
  public static final Duration MSF_SCALING_PAUSE = Duration.ofMinutes(10);

  /**
   * A new node "can take multiple minutes" to be available to pods with Cluster Autoscaler
   * (aws.amazon.com/blogs/containers/managing-pod-scheduling-constraints-and-groupless-node-upgrades-with-karpenter-in-amazon-eks);
   * two minutes is the lower end.
   */
  public static final Duration NODE_LAUNCH = Duration.ofMinutes(2);

  /**
   * Cluster Autoscaler's default {@code --scale-down-unneeded-time}
   * (github.com/kubernetes/autoscaler, cluster-autoscaler/FAQ.md).
   */
  public static final Duration NODE_RELEASE = Duration.ofMinutes(10);

  static final Duration MAX_DELAY = Duration.ofHours(6);

  public TraceSettings {
    check("--rescale-pause", rescalePause);
    check("--msf-scaling-pause", msfScalingPause);
    check("--node-launch-delay", nodeLaunch);
    check("--node-release-delay", nodeRelease);
    if (msfMaxParallelism < 0 || msfMaxParallelism > 32768) {
      throw new UserInputException(
          "--msf-max-parallelism = " + msfMaxParallelism + ": use 1 to 32768 (Flink's limit)");
    }
  }

  public static TraceSettings defaults() {
    return new TraceSettings(
        MEASURED_RESCALE_PAUSE, MSF_SCALING_PAUSE, NODE_LAUNCH, NODE_RELEASE, 0);
  }

  private static void check(String option, Duration d) {
    if (d == null || d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
      throw new UserInputException(
          option + " = " + d + ": use a duration from 0s to 6h (e.g. 90s, 10m)");
    }
  }
}
