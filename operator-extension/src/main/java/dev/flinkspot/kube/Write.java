package dev.flinkspot.kube;

/**
 * What one write did. Every write flinkspot makes (the FlinkDeployment patch, the HPA, the
 * FlinkCostReport, the policy status) is reported as one of these by {@link Writer}, so that a loop
 * turns results into requeues in one way: {@link #CONFLICT} means "re-read and decide again".
 */
public enum Write {
  CREATED,
  PATCHED,
  UNCHANGED,
  DELETED,
  /** The object changed or went away meanwhile (409, 404; 422 for a failed JSON Patch test). */
  CONFLICT,
  /** Someone else's object stands where ours would: left alone. */
  FOREIGN;

  /** Whether the loop should reconcile the key again soon. */
  public boolean retry() {
    return this == CONFLICT;
  }
}
