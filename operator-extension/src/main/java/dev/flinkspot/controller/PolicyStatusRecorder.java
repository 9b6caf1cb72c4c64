package dev.flinkspot.controller;

import dev.flinkspot.interruption.counts.InterruptionCounts;
import dev.flinkspot.kube.Write;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.FlinkSpotPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Writes a policy's status only when it changed. A condition keeps its {@code lastTransitionTime}
 * while its status stays the same, so an unchanged decision compares equal and writes nothing. The
 * one writer of the status: its interruption counts come from {@code interruptions} (by default the
 * current ones, carried over), so a reconcile that knows nothing of notices never drops them.
 */
public final class PolicyStatusRecorder {

  private final Writer writer;
  private final Function<FlinkSpotPolicy, InterruptionCounts> interruptions;

  public PolicyStatusRecorder(Writer writer) {
    this(writer, p -> p.getStatus() == null ? null : p.getStatus().getInterruptions());
  }

  /**
   * @param interruptions the counts a policy's status should show (its current ones and what the
   *     Spot notice loop handed over since)
   */
  PolicyStatusRecorder(Writer writer, Function<FlinkSpotPolicy, InterruptionCounts> interruptions) {
    this.writer = writer;
    this.interruptions = interruptions;
  }

  /** The writer, which also remembers the writes the API server refused. */
  Writer writer() {
    return writer;
  }

  /**
   * Writes {@code desired} unless the current status already says the same.
   *
   * @return {@link Write#UNCHANGED}, {@link Write#PATCHED} or {@link Write#CONFLICT}
   */
  public Write update(FlinkSpotPolicy policy, FlinkSpotPolicyStatus desired) {
    FlinkSpotPolicyStatus current = policy.getStatus();
    FlinkSpotPolicyStatus merged = keepTransitionTimes(current, desired);
    merged.setInterruptions(interruptions.apply(policy));
    if (merged.equals(current)) {
      return Write.UNCHANGED;
    }
    // PUT on the status subresource with the observed resourceVersion: a stale view fails (409)
    // and the reconcile is retried with the fresh object, instead of overwriting a newer status.
    FlinkSpotPolicy copy = new FlinkSpotPolicy();
    copy.setMetadata(policy.getMetadata());
    copy.setSpec(policy.getSpec());
    copy.setStatus(merged);
    Write write = writer.updateStatus(copy);
    if (write == Write.PATCHED) {
      policy.setStatus(merged);
    }
    return write;
  }

  static FlinkSpotPolicyStatus keepTransitionTimes(
      FlinkSpotPolicyStatus current, FlinkSpotPolicyStatus desired) {
    if (current == null || current.getConditions() == null) {
      return desired;
    }
    List<Condition> conditions = new ArrayList<>();
    for (Condition want : desired.getConditions()) {
      Condition keep = want;
      for (Condition have : current.getConditions()) {
        if (Objects.equals(have.getType(), want.getType())
            && Objects.equals(have.getStatus(), want.getStatus())) {
          keep =
              new io.fabric8.kubernetes.api.model.ConditionBuilder(want)
                  .withLastTransitionTime(have.getLastTransitionTime())
                  .build();
        }
      }
      conditions.add(keep);
    }
    return desired.withConditions(conditions);
  }
}
