package dev.flinkspot.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code core/v1} Events. The last message per object and reason is remembered, so a
 * reconcile that reaches the same decisions writes nothing; Event names derive from object, reason
 * and message, so two replicas (or a restart) recording the same thing collide on the name instead
 * of piling up.
 */
public final class KubeEventRecorder implements EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(KubeEventRecorder.class);
  private static final int REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final Map<String, String> lastByObject =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REMEMBERED;
        }
      };

  public KubeEventRecorder(KubernetesClient client, String component, String host, Clock clock) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.clock = clock;
  }

  /**
   * Remembers the Events this component already wrote (one paginated list), so that a restarted or
   * newly elected controller does not re-post each of them only to be told 409 Conflict.
   *
   * @param namespaces the watched namespaces; empty means all
   * @return how many Events were remembered
   */
  public int rememberExisting(java.util.List<String> namespaces) {
    var events = client.v1().events();
    var lists =
        namespaces.isEmpty()
            ? java.util.List.of(events.inAnyNamespace())
            : namespaces.stream().map(ns -> events.inNamespace(ns)).toList();
    int remembered = 0;
    for (var list : lists) {
      var found = new java.util.ArrayList<io.fabric8.kubernetes.api.model.Event>();
      String next = null;
      do {
        var page =
            list.list(
                new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                    .withFieldSelector("source=" + component)
                    .withLimit(500L)
                    .withContinue(next)
                    .build());
        found.addAll(page.getItems());
        next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
      // Oldest first, so the latest message per object and reason is the one remembered.
      found.sort(
          java.util.Comparator.comparing(
              e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp()));
      for (var e : found) {
        var o = e.getInvolvedObject();
        if (o == null || e.getReason() == null || e.getMessage() == null) {
          continue;
        }
        String slot = objectKey(o.getNamespace(), o.getKind(), o.getName(), o.getUid());
        synchronized (lastByObject) {
          lastByObject.put(slot + "/" + e.getReason(), e.getReason() + "\n" + e.getMessage());
        }
        remembered++;
      }
    }
    return remembered;
  }

  private static String objectKey(String namespace, String kind, String name, String uid) {
    return namespace + "/" + kind + "/" + name + "/" + uid;
  }

  @Override
  public void record(EventTarget target, EventReason reason, String message) {
    String key = reason + "\n" + message;
    String objectKey = objectKey(target.namespace(), target.kind(), target.name(), target.uid());
    // The last message per object and reason: a reconcile that records several reasons (a
    // placement decision and Reactive Mode findings) writes nothing the second time.
    String slot = objectKey + "/" + reason;
    synchronized (lastByObject) {
      if (key.equals(lastByObject.get(slot))) {
        return;
      }
      lastByObject.put(slot, key);
    }
    String now =
        DateTimeFormatter.ISO_INSTANT.format(
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(target.namespace())
            .withName(target.name() + "." + hash(objectKey + "\n" + key))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(target.apiVersion())
                    .withKind(target.kind())
                    .withNamespace(target.namespace())
                    .withName(target.name())
                    .withUid(target.uid())
                    .build())
            .withType(reason.type())
            .withReason(reason.name())
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withNewSource(component, host)
            .withReportingComponent(component)
            .withReportingInstance(host)
            .withAction(reason.name())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(target.namespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        LOG.warn(
            "could not record event {} on {}/{}: {}",
            reason,
            target.namespace(),
            target.name(),
            e.getMessage());
        synchronized (lastByObject) {
          lastByObject.remove(slot);
        }
      }
    }
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
