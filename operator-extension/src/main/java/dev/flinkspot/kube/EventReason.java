package dev.flinkspot.kube;

/**
 * Every reason the controller gives in a Kubernetes Event, with its Event type and its {@link
 * Subject}: the reasons of one subject describe states of the same thing (a deployment's placement,
 * its HPA), so an Event is recorded when the subject's state changes, not once per reason.
 */
public enum EventReason {
  /** The placement was written into the FlinkDeployment (a repair). */
  Placed(false, Subject.PLACEMENT),
  /** The FlinkDeployment already carries the policy's placement. */
  PlacementInPlace(false, Subject.PLACEMENT),
  /** Placement is missing or drifted, and the policy does not allow the restart a write causes. */
  RepairSkipped(true, Subject.PLACEMENT),
  /** The API server refused the repair write (e.g. a webhook denial); retried with backoff. */
  RepairFailed(true, Subject.PLACEMENT),
  /**
   * No admission webhook runs (the controller's --no-webhook) and the webhook would deny the
   * deployment (the same rule): left alone, no placement, defaults or HPA.
   */
  NotAdmitted(true, Subject.PLACEMENT),
  /** The deployment names a policy that does not exist; left alone. */
  PolicyNotFound(true, Subject.PLACEMENT),
  /** The policy is invalid; deployments keep their last placement. */
  PolicyInvalid(true, Subject.PLACEMENT),
  /** The policy became valid again. */
  PolicyReady(false, Subject.PLACEMENT),
  /** Several policies claim to be the namespace default; left alone. */
  AmbiguousDefaultPolicy(true, Subject.PLACEMENT),
  /** The user's own placement contradicts the policy; left as written. */
  PlacementConflict(true, Subject.PLACEMENT),

  // Reactive Mode findings (the scaling package's Finding.Reason, same names): all Warnings.
  NativeMode(true),
  NotReactive(true),
  JobParallelismSet(true),
  MaxParallelismBelowCapacity(true),
  NoRestartStrategy(true),
  CheckpointingOff(true),
  HpaMaxAbovePolicy(true),
  ForeignHpa(true, Subject.HPA),
  OperatorAutoscalerEnabled(true),
  HpaBoundClamped(true),
  SessionCluster(true),
  FlinkOneKeyOnFlinkTwo(true),

  // The HPA step.
  /** The controller created the HPA of a scaled FlinkDeployment. */
  HpaCreated(false, Subject.HPA),
  /** The HPA drifted or its policy changed; the owned fields were rewritten. */
  HpaUpdated(false, Subject.HPA),
  /** The deployment left the policy or its scaling was turned off; its HPA was deleted. */
  HpaDeleted(false, Subject.HPA),
  /** The policy is invalid; the HPA keeps its last good spec. */
  HpaKept(true, Subject.HPA),

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

  /** What a reason's Events are about; {@link #OWN}: the reason alone (a finding, a notice). */
  public enum Subject {
    PLACEMENT,
    HPA,
    OWN
  }

  private final boolean warning;
  private final Subject subject;

  EventReason(boolean warning) {
    this(warning, Subject.OWN);
  }

  EventReason(boolean warning, Subject subject) {
    this.warning = warning;
    this.subject = subject;
  }

  /** The de-duplication slot of this reason on one object: its subject, or the reason itself. */
  public String slot() {
    return subject == Subject.OWN ? name() : subject.name();
  }

  /** Whether it is a {@code Warning} (kept as an Event of its own for alerting). */
  public boolean warning() {
    return warning;
  }

  /** {@code Warning} or {@code Normal}. */
  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
