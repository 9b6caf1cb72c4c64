package dev.flinkspot.controller;

import dev.flinkspot.flink.CheckpointOutcome;
import dev.flinkspot.interruption.NodeNotice.Affected;
import dev.flinkspot.interruption.NodeNotice.DeploymentRef;
import dev.flinkspot.interruption.NoticeMessages;
import dev.flinkspot.interruption.counts.NoticeFact;
import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventTarget;
import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints the {@link SpotNoticeLoop} takes, on a small bounded pool (each mostly waits
 * between status polls): the outcome becomes a {@code CheckpointOnNotice} or {@code
 * CheckpointOnNoticeFailed} Event and the {@code flinkspot_checkpoint_on_notice{outcome}} timer. A
 * failure is an Event, never an exception or a retry; a full pool refuses with an Event.
 */
final class NoticeCheckpoints implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NoticeCheckpoints.class);

  private final Shared shared;
  private final SpotNoticeSettings settings;
  private final ThreadPoolExecutor pool;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final BiConsumer<DeploymentRef, NoticeFact> outcomes;

  /**
   * @param outcomes takes each outcome, to be counted
   */
  NoticeCheckpoints(
      Shared shared, SpotNoticeSettings settings, BiConsumer<DeploymentRef, NoticeFact> outcomes) {
    this.shared = shared;
    this.outcomes = outcomes;
    this.settings = settings;
    this.pool =
        new ThreadPoolExecutor(
            settings.workers(),
            settings.workers(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "spot-notice-checkpoint");
              t.setDaemon(true);
              return t;
            });
  }

  /** Takes one checkpoint of {@code a}'s deployment at {@code base}, in the background. */
  void take(Affected a, EventTarget target, URI base) {
    inFlight.incrementAndGet();
    try {
      pool.execute(() -> run(a, target, base));
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      shared
          .events()
          .record(
              target,
              EventReason.CheckpointOnNoticeFailed,
              "no checkpoint on the notice of " + a.node() + ": too many notices at once");
      outcome(a, false);
    }
  }

  private void run(Affected a, EventTarget target, URI base) {
    try {
      CheckpointOutcome o = settings.trigger().checkpoint(base, settings.deadline());
      NoticeMetrics.checkpoint(shared.metrics(), o);
      outcome(a, o.completed());
      shared
          .events()
          .record(
              target,
              o.completed() ? EventReason.CheckpointOnNotice : EventReason.CheckpointOnNoticeFailed,
              NoticeMessages.checkpoint(a.node(), base, o));
      LOG.info("{} on the notice of {}: {}", a.deployment(), a.node(), o);
    } catch (RuntimeException e) {
      LOG.warn("checkpoint on the notice of {} for {}: {}", a.node(), a.deployment(), e.toString());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void outcome(Affected a, boolean completed) {
    outcomes.accept(
        a.deployment(),
        new NoticeFact.Outcome(
            a.deployment().name(), a.node(), completed, shared.clock().instant()));
  }

  /** No checkpoint waiting or running. */
  boolean idle() {
    return inFlight.get() == 0;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
