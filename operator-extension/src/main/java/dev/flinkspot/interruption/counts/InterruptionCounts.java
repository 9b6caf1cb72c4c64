package dev.flinkspot.interruption.counts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Spot interruptions a status counts: notices acted on (in all and by signal), the last one,
 * and the checkpoints taken on them that completed or did not.
 *
 * <p>Idempotent, so that it can live in the API server and survive a restart or a leader change:
 * {@code recent} keeps every notice of the last two notice windows (deployment, node, signal, time,
 * checkpoint outcome), and a notice of the same deployment and node within the window of one kept
 * there is the same notice, counted once; an outcome is counted once per notice. A new leader can
 * then replay what the earlier one did (its Events) without counting anything twice. Bounded:
 * {@code recent} keeps at most {@link #MAX_RECENT} notices (about 150 bytes each), and a fact older
 * than all of a full list is taken as counted.
 *
 * @param notices notices acted on, one per deployment per node per notice window
 * @param bySignal the same by signal label (e.g. {@code nth-spot-interruption})
 * @param lastNotice the time of the latest notice (RFC 3339)
 * @param checkpointsCompleted checkpoints on a notice that completed
 * @param checkpointsFailed checkpoints on a notice that did not (failed, timed out, JobManager
 *     unreachable, no running job)
 * @param recent the notices of the last two windows, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InterruptionCounts(
    int notices,
    Map<String, Integer> bySignal,
    String lastNotice,
    int checkpointsCompleted,
    int checkpointsFailed,
    List<Recent> recent) {

  /** How many notices {@code recent} keeps at most. */
  public static final int MAX_RECENT = 100;

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  /** Nothing counted yet. */
  public static final InterruptionCounts NONE =
      new InterruptionCounts(0, Map.of(), null, 0, 0, List.of());

  /**
   * A notice kept to recognise it again.
   *
   * @param deployment absent in a cost report (it is the deployment's own)
   * @param at when it was acted on (RFC 3339)
   * @param checkpoint {@link #COMPLETED} or {@link #FAILED}; absent until known
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Recent(
      String deployment, String node, String signal, String at, String checkpoint) {

    Instant time() {
      return Instant.parse(at);
    }

    boolean sameTarget(NoticeFact f) {
      return Objects.equals(deployment, f.deployment()) && Objects.equals(node, f.node());
    }
  }

  /** {@code counts} with {@code facts} folded in, in order (null counts: {@link #NONE}). */
  public static InterruptionCounts fold(
      InterruptionCounts counts, List<? extends NoticeFact> facts, Duration window) {
    InterruptionCounts out = counts == null ? NONE : counts;
    for (NoticeFact f : facts) {
      out = out.with(f, window);
    }
    return out == NONE ? counts : out;
  }

  /** Whether folding {@code fact} in changes nothing: it is counted (or can no longer be). */
  public boolean covers(NoticeFact fact, Duration window) {
    return with(fact, window) == this;
  }

  /** These counts with {@code fact}; {@code this} itself when it is already counted. */
  public InterruptionCounts with(NoticeFact fact, Duration window) {
    if (fact instanceof NoticeFact.Notice n) {
      return withNotice(n, window);
    }
    return withOutcome((NoticeFact.Outcome) fact, window);
  }

  private InterruptionCounts withNotice(NoticeFact.Notice n, Duration window) {
    Instant at = n.at().truncatedTo(ChronoUnit.SECONDS);
    List<Recent> kept = recent == null ? List.of() : recent;
    for (Recent r : kept) {
      if (r.sameTarget(n) && Duration.between(r.time(), at).abs().compareTo(window) < 0) {
        return this;
      }
    }
    if (kept.size() >= MAX_RECENT && at.isBefore(kept.get(0).time())) {
      return this;
    }
    List<Recent> next = new ArrayList<>(kept);
    next.add(new Recent(n.deployment(), n.node(), n.signal(), at.toString(), null));
    next.sort(Comparator.comparing(Recent::time));
    Instant newest = next.get(next.size() - 1).time();
    next.removeIf(r -> r.time().isBefore(newest.minus(window.multipliedBy(2))));
    while (next.size() > MAX_RECENT) {
      next.remove(0);
    }
    Map<String, Integer> signals = new TreeMap<>(bySignal == null ? Map.of() : bySignal);
    signals.merge(n.signal(), 1, Integer::sum);
    String last =
        lastNotice != null && Instant.parse(lastNotice).isAfter(at) ? lastNotice : at.toString();
    return new InterruptionCounts(
        notices + 1, signals, last, checkpointsCompleted, checkpointsFailed, List.copyOf(next));
  }

  private InterruptionCounts withOutcome(NoticeFact.Outcome o, Duration window) {
    Instant at = o.at().truncatedTo(ChronoUnit.SECONDS);
    List<Recent> kept = recent == null ? List.of() : recent;
    // The latest notice of that deployment and node before the outcome, within the window.
    int found = -1;
    for (int i = 0; i < kept.size(); i++) {
      Recent r = kept.get(i);
      Instant t = r.time();
      if (r.sameTarget(o)
          && !t.isAfter(at.plusSeconds(1))
          && Duration.between(t, at).compareTo(window) < 0) {
        found = i;
      }
    }
    if (found < 0 || kept.get(found).checkpoint() != null) {
      return this;
    }
    Recent r = kept.get(found);
    List<Recent> next = new ArrayList<>(kept);
    next.set(
        found,
        new Recent(
            r.deployment(), r.node(), r.signal(), r.at(), o.completed() ? COMPLETED : FAILED));
    return new InterruptionCounts(
        notices,
        bySignal,
        lastNotice,
        checkpointsCompleted + (o.completed() ? 1 : 0),
        checkpointsFailed + (o.completed() ? 0 : 1),
        List.copyOf(next));
  }
}
