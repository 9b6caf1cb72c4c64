package dev.flinkspot.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code core/v1} Events, de-duplicated on the state ({@link EventRecorder}): per object and
 * slot the hash of the last state recorded is remembered, so a reconcile that reaches the same
 * decisions writes nothing, and the same state after a different one is recorded again. Warnings
 * are one Event each (their reason is what alerting selects); the new {@code Normal} entries of one
 * reconcile are one Event, their messages joined. Event names derive from object, reason and
 * message: the same Event again, from this replica, another one or after a restart, bumps the
 * {@code count} and {@code lastTimestamp} of the one there (the core/v1 series semantics {@code
 * kubectl describe} shows as "x3 over 5m") instead of piling up.
 */
public final class KubeEventRecorder implements EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(KubeEventRecorder.class);

  /**
   * How many object slots are remembered (least recently used forgotten first): a deployment has
   * two or three (placement, HPA, a finding), so 10,000 deployments fit with room to spare. A slot
   * is two longs (hashes of object + slot and of the state), about 90 bytes with the map's entry:
   * at most about 9 MB. A forgotten slot only costs its next Event again (a count bump).
   */
  static final int REMEMBERED = 100_000;

  /** The slots an Event stated, {@code SLOT=hash,...}: a new leader remembers them from it. */
  static final String STATES = "flinkspot.dev/states";

  /** When it was last recorded, to the nanosecond ({@code lastTimestamp} has seconds). */
  static final String RECORDED_AT = "flinkspot.dev/recorded-at";

  private final KubernetesClient client;
  private final String component;
  private final String host;
  private final Clock clock;

  /** Per object slot (hashed), the hash of the last state recorded there. */
  private final Map<Long, Long> lastBySlot =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
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
   * Remembers the states the Events of this component stated, so that a restarted or newly elected
   * controller does not re-post what its predecessor said last. Read 500 at a time and only the
   * slot and state hashes kept, so 10,000 deployments' Events fit in the shipped heap.
   *
   * @param namespaces the watched namespaces; empty means all
   * @return how many Events were read
   */
  public int rememberExisting(List<String> namespaces) {
    var events = client.v1().events();
    var lists =
        namespaces.isEmpty()
            ? List.of(events.inAnyNamespace())
            : namespaces.stream().map(ns -> events.inNamespace(ns)).toList();
    // The latest state per slot wins: when each remembered state was recorded, for this recall.
    Map<Long, Instant> recordedAt = new HashMap<>();
    int read = 0;
    for (var list : lists) {
      String next = null;
      do {
        var page =
            list.list(
                new ListOptionsBuilder()
                    .withFieldSelector("source=" + component)
                    .withLimit(500L)
                    .withContinue(next)
                    .build());
        for (Event e : page.getItems()) {
          remember(e, recordedAt);
        }
        read += page.getItems().size();
        next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());
    }
    return read;
  }

  /** Remembers the slot states {@code e} stated, unless a later Event already stated them. */
  private void remember(Event e, Map<Long, Instant> recordedAt) {
    var o = e.getInvolvedObject();
    if (o == null || e.getReason() == null || e.getMessage() == null) {
      return;
    }
    String object = objectKey(o.getNamespace(), o.getKind(), o.getName(), o.getUid());
    Instant at = recordedAt(e);
    Map<String, String> annotations = e.getMetadata().getAnnotations();
    String states = annotations == null ? null : annotations.get(STATES);
    Map<String, String> bySlot = new LinkedHashMap<>();
    if (states != null) {
      for (String pair : states.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          bySlot.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    } else if (isReason(e.getReason())) {
      // Written before states were annotated: its reason and message are its state.
      var entry = Entry.observed(EventReason.valueOf(e.getReason()), e.getMessage());
      bySlot.put(entry.reason().slot(), hex(hash(entry.state())));
    }
    synchronized (lastBySlot) {
      bySlot.forEach(
          (slot, state) -> {
            long key = slotKey(object, slot);
            Instant before = recordedAt.get(key);
            if (before == null || !before.isAfter(at)) {
              try {
                lastBySlot.put(key, Long.parseUnsignedLong(state, 16));
                recordedAt.put(key, at);
              } catch (NumberFormatException unreadable) {
                // Not ours to trust: its slot is said again when it comes up.
              }
            }
          });
    }
  }

  private static Instant recordedAt(Event e) {
    var annotations = e.getMetadata().getAnnotations();
    String at = annotations == null ? null : annotations.get(RECORDED_AT);
    try {
      return Instant.parse(at != null ? at : e.getLastTimestamp());
    } catch (RuntimeException unreadable) {
      return Instant.EPOCH;
    }
  }

  private static boolean isReason(String name) {
    for (EventReason r : EventReason.values()) {
      if (r.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String objectKey(String namespace, String kind, String name, String uid) {
    return namespace + "/" + kind + "/" + name + "/" + uid;
  }

  private static String objectKey(EventTarget target) {
    return objectKey(target.namespace(), target.kind(), target.name(), target.uid());
  }

  @Override
  public void record(EventTarget target, EventReason reason, String message) {
    recordAll(target, List.of(Entry.observed(reason, message)));
  }

  @Override
  public void clear(EventTarget target, EventReason reason) {
    synchronized (lastBySlot) {
      lastBySlot.remove(slotKey(objectKey(target), reason.slot()));
    }
  }

  @Override
  public void recordAll(EventTarget target, List<Entry> entries) {
    String object = objectKey(target);
    List<Entry> fresh = new ArrayList<>();
    synchronized (lastBySlot) {
      for (Entry e : entries) {
        long slot = slotKey(object, e.reason().slot());
        Long state = hash(e.state());
        if (e.message() != null && (e.change() || !state.equals(lastBySlot.get(slot)))) {
          fresh.add(e);
        }
        lastBySlot.put(slot, state);
      }
    }
    List<Entry> normal = new ArrayList<>();
    for (Entry e : fresh) {
      if (e.reason().warning()) {
        post(target, object, List.of(e));
      } else {
        normal.add(e);
      }
    }
    if (!normal.isEmpty()) {
      post(target, object, normal);
    }
  }

  /** One Event for {@code parts}: named by the first change among them (else the first). */
  private void post(EventTarget target, String object, List<Entry> parts) {
    EventReason reason =
        parts.stream().filter(Entry::change).findFirst().orElse(parts.get(0)).reason();
    String message = String.join("; ", parts.stream().map(Entry::message).toList());
    String states =
        String.join(
            ",", parts.stream().map(p -> p.reason().slot() + "=" + hex(hash(p.state()))).toList());
    Instant at = clock.instant();
    String now = DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    String name = target.name() + "." + hex(hash(object + "\n" + reason + "\n" + message));
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(target.namespace())
            .withName(name)
            .addToAnnotations(STATES, states)
            .addToAnnotations(RECORDED_AT, at.toString())
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
    var events = client.v1().events().inNamespace(target.namespace());
    try {
      try {
        events.resource(event).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Said before (here, by another replica or before a restart): the same Event once more.
        events
            .withName(name)
            .edit(
                old ->
                    new EventBuilder(old)
                        .editMetadata()
                        .addToAnnotations(STATES, states)
                        .addToAnnotations(RECORDED_AT, at.toString())
                        .endMetadata()
                        .withCount(old.getCount() == null ? 2 : old.getCount() + 1)
                        .withLastTimestamp(now)
                        .build());
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          target.namespace(),
          target.name(),
          e.getMessage());
      synchronized (lastBySlot) {
        parts.forEach(p -> lastBySlot.remove(slotKey(object, p.reason().slot())));
      }
    }
  }

  /** One slot of one object, as remembered. */
  private static long slotKey(String object, String slot) {
    return hash(object + "/" + slot);
  }

  /** The first 64 bits of the text's SHA-256: collisions are negligible at 100,000 slots. */
  private static long hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hash as written in Event names and the states annotation: 16 hex digits. */
  private static String hex(long hash) {
    return HexFormat.of().toHexDigits(hash);
  }
}
