package dev.flinkspot.kube;

import java.util.List;

/**
 * Records controller decisions as Kubernetes Events, de-duplicated on the state, not on the reason
 * forever: per object and {@link EventReason#slot()}, an observation is recorded when it differs
 * from the last one recorded there, and a change (a write) always. Repeating what an earlier Event
 * said, after a different state, is a new occurrence (a count bump on that Event).
 */
public interface EventRecorder {

  /** An observation whose state is its reason and message. */
  void record(EventTarget target, EventReason reason, String message);

  /**
   * Several entries about one object from one reconcile. Implementations may post the {@code
   * Normal} ones that are new as one Event (the details in its message); this default records each.
   */
  default void recordAll(EventTarget target, List<Entry> entries) {
    entries.stream()
        .filter(e -> e.message() != null)
        .forEach(e -> record(target, e.reason(), e.message()));
  }

  /**
   * What the subject of {@code reason} reported no longer holds (a finding went away): its next
   * Event is recorded even if it repeats the last one.
   */
  default void clear(EventTarget target, EventReason reason) {}

  /**
   * One thing to record.
   *
   * @param state what the Event says holds now; an observation of the state the slot already holds
   *     is not recorded again
   * @param message the Event's message; null: only the state is noted, nothing is posted
   * @param change a write the controller made: always recorded (each write is a change)
   */
  record Entry(EventReason reason, String state, String message, boolean change) {

    /** An observation of {@code state}. */
    public static Entry observed(EventReason reason, String state, String message) {
      return new Entry(reason, state, message, false);
    }

    /** An observation whose state is its reason and message. */
    public static Entry observed(EventReason reason, String message) {
      return new Entry(reason, reason.name() + "\n" + message, message, false);
    }

    /**
     * A state reached without an Event (e.g. an HPA found in sync): the next observation that
     * differs from it is recorded, even one an earlier Event already said.
     */
    public static Entry silent(EventReason reason, String state) {
      return new Entry(reason, state, null, false);
    }

    /** A write that leaves {@code state}. */
    public static Entry changed(EventReason reason, String state, String message) {
      return new Entry(reason, state, message, true);
    }
  }
}
