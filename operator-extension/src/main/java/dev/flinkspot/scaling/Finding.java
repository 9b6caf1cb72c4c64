package dev.flinkspot.scaling;

/**
 * One problem with how a FlinkDeployment is set up for Reactive Mode scaling: an admission warning
 * (or denial, for {@link Severity#Error}), an Event and a policy status condition.
 *
 * @param field the path of the field at fault, e.g. {@code spec.job.parallelism}
 * @param message what breaks and how to fix it
 */
public record Finding(Severity severity, Reason reason, String field, String message) {

  /** How bad it is. */
  public enum Severity {
    /** Scaling works worse than it should; admitted with a warning. */
    Warning,
    /** Scaling cannot work, or the policy forbids it; rejected at admission when enforced. */
    Error
  }

  /** Why: one constant per Reactive Mode trap, usable as an Event reason. */
  public enum Reason {
    /** {@code mode: native}: Reactive Mode runs only as a standalone application cluster. */
    NativeMode,
    /** {@code scheduler-mode} is not REACTIVE: each HPA change is a full redeploy. */
    NotReactive,
    /** {@code job.parallelism} hard-set while the HPA sets {@code taskManager.replicas}. */
    JobParallelismSet,
    /** Max parallelism below max TaskManagers × slots: the extra slots are wasted. */
    MaxParallelismBelowCapacity,
    /** No restart strategy: the job fails instead of rescaling when a TaskManager leaves. */
    NoRestartStrategy,
    /** Checkpointing off: every rescale restarts the job from scratch, state lost. */
    CheckpointingOff,
    /** An HPA (or the replica count) allows more TaskManagers than the policy's bound. */
    HpaMaxAbovePolicy,
    /** Another HPA, not ours, also scales this deployment: the two fight. */
    ForeignHpa,
    /** The Flink operator's own autoscaler is on: it and the HPA fight over parallelism. */
    OperatorAutoscalerEnabled,
    /** The HPA bounds were lowered to what the job can use (max parallelism / slots). */
    HpaBoundClamped,
    /** No {@code spec.job}: a session cluster cannot run Reactive Mode; no defaults are added. */
    SessionCluster,
    /** A Flink 1.x adaptive-scheduler key on a 2.x deployment: renamed in 2.0 (FLIP-472). */
    FlinkOneKeyOnFlinkTwo
  }

  static Finding warning(Reason reason, String field, String message) {
    return new Finding(Severity.Warning, reason, field, message);
  }

  static Finding error(Reason reason, String field, String message) {
    return new Finding(Severity.Error, reason, field, message);
  }

  /** The finding as one line: {@code Warning JobParallelismSet spec.job.parallelism: ...}. */
  @Override
  public String toString() {
    return severity + " " + reason + " " + field + ": " + message;
  }
}
