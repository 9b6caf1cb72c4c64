package dev.flinkspot.controller;

/**
 * One independent duty of the controller (placement + HPA, policy status, cost reports, the webhook
 * and its certificate, ...). {@link ControllerRuntime} owns what the loops share (the informers on
 * policies, deployments and flinkspot's HPAs, the policy index, the Event recorder and the Lease)
 * and drives every loop through the same life cycle:
 *
 * <ol>
 *   <li>construction, from a {@link Shared}: subscribe to the shared informers there (the index is
 *       updated before any loop sees a policy event) and create any informer of its own;
 *   <li>{@link #start()} on every replica: start its own informers, serve what every replica
 *       serves; return once synced;
 *   <li>{@link #gainedLeadership()} once this replica holds the Lease: start writing (queue
 *       everything once, then what changes);
 *   <li>{@link #lostLeadership()}: stop writing at once (the process then exits by default);
 *   <li>{@link #close()}.
 * </ol>
 *
 * A loop writes only while leading ({@link Shared#leading()}), through a {@link
 * dev.flinkspot.kube.Writer}. See docs/architecture.md for how to add one.
 */
public interface Loop extends AutoCloseable {

  /** A short name for logs and metrics. */
  String name();

  /** Starts what runs on every replica; returns when its own caches are synced. */
  default void start() throws Exception {}

  /** This replica leads: reconcile. */
  default void gainedLeadership() {}

  /** Another replica leads now: stop writing. */
  default void lostLeadership() {}

  /** Its own caches are synced and it serves what it should (readiness). */
  default boolean synced() {
    return true;
  }

  /** Its worker threads run (liveness: a dead worker restarts the pod). */
  default boolean alive() {
    return true;
  }

  /** Nothing queued or in progress (tests and benchmarks wait for this). */
  default boolean idle() {
    return true;
  }

  /** Keys waiting in its queue (the {@code flinkspot_queue_depth} gauge). */
  default int queued() {
    return 0;
  }

  @Override
  default void close() {}
}
