package dev.flinkspot.controller;

import dev.flinkspot.desired.SpareDecision;
import dev.flinkspot.interruption.NodeNotice.Affected;
import dev.flinkspot.interruption.WarmSpares;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventTarget;
import dev.flinkspot.policy.PolicyResolver;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a Spot notice, for a deployment whose policy keeps warm spares: {@code ReplacementReady} when
 * a placeholder off the reclaimed node is Ready, {@code ReplacementPending} otherwise. One list of
 * the deployment's placeholder pods (by label) per notice; a failed read is logged, never blocks
 * the checkpoint.
 */
final class NoticeReplacements {

  private static final Logger LOG = LoggerFactory.getLogger(NoticeReplacements.class);

  private final Shared shared;

  NoticeReplacements(Shared shared) {
    this.shared = shared;
  }

  /** Records the Event; returns whether a warm spare was ready to take the replacement. */
  boolean record(Affected a, EventTarget target) {
    String ns = a.deployment().namespace();
    var d = shared.deployments().get(ns, a.deployment().name());
    if (d == null) {
      return false;
    }
    var resolution = PolicyResolver.resolve(ns, d.getMetadata().getLabels(), shared.index());
    int wanted =
        resolution instanceof PolicyResolver.Governed g ? g.policy().taskManager().spare() : 0;
    if (wanted == 0) {
      return false;
    }
    try {
      var placeholders =
          shared
              .client()
              .pods()
              .inNamespace(ns)
              .withLabel(SpareDecision.SPARE_FOR_LABEL, a.deployment().name())
              .list()
              .getItems();
      int usable = WarmSpares.usable(placeholders, a.node());
      if (usable > 0) {
        shared
            .events()
            .record(
                target, EventReason.ReplacementReady, WarmSpares.ready(a.node(), usable, wanted));
        return true;
      } else {
        shared
            .events()
            .record(target, EventReason.ReplacementPending, WarmSpares.pending(a.node(), wanted));
      }
    } catch (KubernetesClientException e) {
      LOG.warn("could not read the warm spares of {}: {}", a.deployment(), e.getMessage());
    }
    return false;
  }
}
