package dev.flinkspot.controller;

import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import dev.flinkspot.interruption.NoticeMessages;
import dev.flinkspot.interruption.NoticeWindow;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.Names;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notices an earlier leader acted on, read back from its {@code SpotNotice} Events when this
 * replica starts leading: a restart or a leader change in the middle of a notice then neither
 * triggers a second checkpoint nor posts the Event again (the recorder remembers it too). Events
 * live one hour in the API server by default ({@code --event-ttl}), longer than the window.
 */
final class EarlierNotices {

  private static final Logger LOG = LoggerFactory.getLogger(EarlierNotices.class);

  private EarlierNotices() {}

  /** Puts each earlier notice into {@code window}; returns how many. Never throws. */
  static int seed(Shared shared, NoticeWindow window) {
    try {
      var events = shared.client().v1().events();
      List<String> namespaces = shared.config().namespaces();
      var lists =
          namespaces.isEmpty()
              ? List.of(events.inAnyNamespace())
              : namespaces.stream().map(events::inNamespace).toList();
      // Few: one per deployment per node per notice, kept an hour; one list without paging.
      List<Event> found = new ArrayList<>();
      for (var list : lists) {
        found.addAll(list.withField("reason", EventReason.SpotNotice.name()).list().getItems());
      }
      found.sort(
          Comparator.comparing(e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()));
      int seeded = 0;
      for (Event e : found) {
        var o = e.getInvolvedObject();
        var node = NoticeMessages.nodeOf(e.getMessage());
        if (o == null || !Names.FLINK_DEPLOYMENT_KIND.equals(o.getKind()) || node.isEmpty()) {
          continue;
        }
        try {
          Instant at = Instant.parse(e.getLastTimestamp());
          window.remember(new DeploymentRef(o.getNamespace(), o.getName()), node.get(), at);
          seeded++;
        } catch (DateTimeParseException | NullPointerException bad) {
          // Not written by this controller's recorder: ignore it.
        }
      }
      return seeded;
    } catch (RuntimeException e) {
      // Costs at most one extra checkpoint per notice still showing; notices go on.
      LOG.warn("could not read earlier SpotNotice Events: {}", e.getMessage());
      return 0;
    }
  }
}
