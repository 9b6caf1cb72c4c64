package dev.flinkspot.kube;

/** Every reason the controller gives in a Kubernetes Event, with its Event type. */
public enum EventReason {
  /** The placement was written into the FlinkDeployment (a repair). */
  Placed(false),
  /** The FlinkDeployment already carries the policy's placement. */
  PlacementInPlace(false),
  /** Placement is missing or drifted, and the policy does not allow the restart a write causes. */
  RepairSkipped(true),
  /** The API server refused the repair write (e.g. a webhook denial); retried with backoff. */
  RepairFailed(true),
  /** The deployment names a policy that does not exist; left alone. */
  PolicyNotFound(true),
  /** The policy is invalid; deployments keep their last placement. */
  PolicyInvalid(true),
  /** The policy became valid again. */
  PolicyReady(false),
  /** Several policies claim to be the namespace default; left alone. */
  AmbiguousDefaultPolicy(true),
  /** The user's own placement contradicts the policy; left as written. */
  PlacementConflict(true),

  // Reactive Mode findings (the scaling package's Finding.Reason, same names): all Warnings.
  NativeMode(true),
  NotReactive(true),
  JobParallelismSet(true),
  MaxParallelismBelowCapacity(true),
  NoRestartStrategy(true),
  CheckpointingOff(true),
  HpaMaxAbovePolicy(true),
  ForeignHpa(true),
  OperatorAutoscalerEnabled(true),
  HpaBoundClamped(true),
  SessionCluster(true),
  FlinkOneKeyOnFlinkTwo(true),

  // The HPA step.
  /** The controller created the HPA of a scaled FlinkDeployment. */
  HpaCreated(false),
  /** The HPA drifted or its policy changed; the owned fields were rewritten. */
  HpaUpdated(false),
  /** The deployment left the policy or its scaling was turned off; its HPA was deleted. */
  HpaDeleted(false),
  /** The policy is invalid; the HPA keeps its last good spec. */
  HpaKept(true),

  // The webhook.
  /** The webhook's TLS Secret held unusable material (on the Secret); a new one was issued. */
  WebhookCertificateReissued(true),

  // Spot interruption notices.
  /** A node with the deployment's TaskManagers shows a reclaim notice (node, signal, pods). */
  SpotNotice(true),
  /** The checkpoint taken on a notice completed (checkpoint id, seconds taken). */
  CheckpointOnNotice(false),
  /** No checkpoint could be taken on a notice: why, and the fix. */
  CheckpointOnNoticeFailed(true),

  // Warm spares (taskManager.spare).
  /** The placeholder Deployment of a deployment's warm spares was created. */
  SparesCreated(false),
  /** Its size or pod template changed (policy, TaskManager size, image or placement). */
  SparesUpdated(false),
  /** The deployment was suspended or left the policy (or spare became 0); spares deleted. */
  SparesDeleted(false),
  /** No spares can be kept: a foreign Deployment of that name, or an unreadable size or image. */
  SparesNotKept(true),
  /** On a notice: a warm spare off the reclaimed node is ready for the replacement TaskManager. */
  ReplacementReady(false),
  /** On a notice: no warm spare is ready off the reclaimed node; the replacement will wait. */
  ReplacementPending(true),

  // The cost report.

  /** The cost report could not price everything: a label or a price figure is missing. */
  CostNotPriced(true),
  /**
   * The deployment left its policy: its cost report's period was closed and kept, with its totals
   * (not deleted).
   */
  CostReportClosed(false);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  /** {@code Warning} or {@code Normal}. */
  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
