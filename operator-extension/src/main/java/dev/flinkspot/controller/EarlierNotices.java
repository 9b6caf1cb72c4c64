package dev.flinkspot.controller;

import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import dev.flinkspot.interruption.NoticeMessages;
import dev.flinkspot.interruption.NoticeWindow;
import dev.flinkspot.interruption.counts.NoticeFact;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.Names;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notices an earlier leader acted on, read back from its {@code SpotNotice} and {@code
 * CheckpointOnNotice[Failed]} Events when this replica starts leading: a restart or a leader change
 * in the middle of a notice then neither triggers a second checkpoint nor posts the Event again
 * (the recorder remembers it too), and what it did is handed over to be counted again (counting is
 * idempotent, so what it counted already is not counted twice, and what it had no time to count is
 * not lost). Events live one hour in the API server by default ({@code --event-ttl}), longer than
 * the window.
 */
final class EarlierNotices {

  private static final Logger LOG = LoggerFactory.getLogger(EarlierNotices.class);

  private EarlierNotices() {}

  /** One Event of this controller about a FlinkDeployment's notice. */
  record Earlier(DeploymentRef deployment, EventReason reason, String message, Instant at) {}

  /** A fact to count again, of a deployment. */
  record Replayed(DeploymentRef deployment, NoticeFact fact) {}

  /** The notice Events in the watched namespaces, oldest first. Never throws (empty then). */
  static List<Earlier> read(Shared shared) {
    try {
      var events = shared.client().v1().events();
      List<String> namespaces = shared.config().namespaces();
      var lists =
          namespaces.isEmpty()
              ? List.of(events.inAnyNamespace())
              : namespaces.stream().map(events::inNamespace).toList();
      // Few: one per deployment per node per notice, kept an hour; one list without paging.
      List<Earlier> found = new ArrayList<>();
      for (var list : lists) {
        for (EventReason reason :
            List.of(
                EventReason.SpotNotice,
                EventReason.CheckpointOnNotice,
                EventReason.CheckpointOnNoticeFailed)) {
          for (Event e : list.withField("reason", reason.name()).list().getItems()) {
            earlier(e, reason).ifPresent(found::add);
          }
        }
      }
      // A notice before its outcome, also within the same second.
      found.sort(
          Comparator.comparing(Earlier::at)
              .thenComparing(e -> e.reason() != EventReason.SpotNotice));
      return found;
    } catch (RuntimeException e) {
      // Costs at most one extra checkpoint per notice still showing; notices go on.
      LOG.warn("could not read earlier SpotNotice Events: {}", e.getMessage());
      return List.of();
    }
  }

  private static Optional<Earlier> earlier(Event e, EventReason reason) {
    var o = e.getInvolvedObject();
    if (o == null || !Names.FLINK_DEPLOYMENT_KIND.equals(o.getKind())) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Earlier(
              new DeploymentRef(o.getNamespace(), o.getName()),
              reason,
              e.getMessage(),
              Instant.parse(e.getLastTimestamp())));
    } catch (DateTimeParseException | NullPointerException bad) {
      // Not written by this controller's recorder: ignore it.
      return Optional.empty();
    }
  }

  /** Puts each earlier notice into {@code window}; returns how many. */
  static int seed(List<Earlier> earlier, NoticeWindow window) {
    int seeded = 0;
    for (Earlier e : earlier) {
      var node = NoticeMessages.nodeOf(e.message());
      if (e.reason() == EventReason.SpotNotice && node.isPresent()) {
        window.remember(e.deployment(), node.get(), e.at());
        seeded++;
      }
    }
    return seeded;
  }

  /**
   * The notices and checkpoint outcomes since {@code since} (the last notice window: older ones are
   * counted, or beyond what the counts recognise), as facts to count, oldest first.
   */
  static List<Replayed> facts(List<Earlier> earlier, Instant since) {
    List<Replayed> out = new ArrayList<>();
    for (Earlier e : earlier) {
      if (e.at().isBefore(since)) {
        continue;
      }
      String name = e.deployment().name();
      if (e.reason() == EventReason.SpotNotice) {
        var node = NoticeMessages.nodeOf(e.message());
        var signal = NoticeMessages.signalOf(e.message());
        if (node.isPresent() && signal.isPresent()) {
          out.add(
              new Replayed(
                  e.deployment(), new NoticeFact.Notice(name, node.get(), signal.get(), e.at())));
        }
      } else {
        NoticeMessages.checkpointNodeOf(e.message())
            .ifPresent(
                node ->
                    out.add(
                        new Replayed(
                            e.deployment(),
                            new NoticeFact.Outcome(
                                name,
                                node,
                                e.reason() == EventReason.CheckpointOnNotice,
                                e.at()))));
      }
    }
    return out;
  }
}
