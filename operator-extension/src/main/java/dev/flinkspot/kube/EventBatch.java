package dev.flinkspot.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Events of one reconcile, handed to the recorder together by {@link #flush()}: so that the
 * steps of one pass (placement, then the HPA) make one Event per object and change, not one per
 * step. Not thread-safe: one per reconcile.
 */
public final class EventBatch implements EventRecorder {

  private final EventRecorder to;
  private final Map<EventTarget, List<Entry>> pending = new LinkedHashMap<>();

  public EventBatch(EventRecorder to) {
    this.to = to;
  }

  @Override
  public void record(EventTarget target, EventReason reason, String message) {
    recordAll(target, List.of(Entry.observed(reason, message)));
  }

  @Override
  public void recordAll(EventTarget target, List<Entry> entries) {
    pending.computeIfAbsent(target, t -> new ArrayList<>()).addAll(entries);
  }

  @Override
  public void clear(EventTarget target, EventReason reason) {
    to.clear(target, reason);
  }

  /** Records what was collected, one {@link EventRecorder#recordAll} per object. */
  public void flush() {
    pending.forEach(to::recordAll);
    pending.clear();
  }
}
