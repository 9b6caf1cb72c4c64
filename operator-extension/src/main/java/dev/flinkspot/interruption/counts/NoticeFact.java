package dev.flinkspot.interruption.counts;

import java.time.Instant;

/**
 * What the Spot notice loop hands over to be counted: a notice acted on, or the outcome of the
 * checkpoint it took. {@code deployment} is the FlinkDeployment's name (its namespace is the
 * status's own).
 */
public sealed interface NoticeFact {

  String deployment();

  String node();

  Instant at();

  /** This fact without the deployment's name (a cost report is the deployment's own record). */
  NoticeFact unnamed();

  /**
   * A notice acted on: one per deployment per node per notice window.
   *
   * @param signal the signal's label, e.g. {@code nth-spot-interruption}
   */
  record Notice(String deployment, String node, String signal, Instant at) implements NoticeFact {
    @Override
    public NoticeFact unnamed() {
      return new Notice(null, node, signal, at);
    }
  }

  /** The checkpoint taken on a notice completed, or did not (failed, unreachable, timed out). */
  record Outcome(String deployment, String node, boolean completed, Instant at)
      implements NoticeFact {
    @Override
    public NoticeFact unnamed() {
      return new Outcome(null, node, completed, at);
    }
  }
}
