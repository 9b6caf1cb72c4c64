package dev.flinkspot.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's part in the Lease election, for as long as it runs: when one election ends (the
 * Lease was lost, or could not be renewed while the API server was away), it joins again, so the
 * replica stays up and takes the Lease again once the API server is back and no other replica holds
 * it. {@link #close} releases the Lease at once.
 */
final class LeaseElection {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

  private final ControllerConfig config;
  private final Runnable startLeading;
  private final Runnable stopLeading;
  private final KubernetesClient client;
  private final AtomicReference<String> lastLeader = new AtomicReference<>("");
  private volatile LeaderElector elector;
  private volatile CompletableFuture<?> election;
  private volatile boolean closing;

  LeaseElection(
      KubernetesClient client,
      ControllerConfig config,
      Runnable startLeading,
      Runnable stopLeading) {
    this.config = config;
    this.startLeading = startLeading;
    this.stopLeading = stopLeading;
    // No request retries and a 5 s timeout: a renewal against an unreachable API server fails
    // within the renew deadline (Fabric8 retries a failed request up to 10 times with backoff by
    // default, which kept a lost Lease for ~40 s in ApiServerOutageIT).
    this.client = ApiServerWatch.failFast(client);
  }

  LeaseElection start() {
    if (closing) {
      return this;
    }
    var next =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(config.leaseName())
                    .withLeaseDuration(Duration.ofSeconds(15))
                    .withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofSeconds(2))
                    .withReleaseOnCancel(true)
                    .withLock(
                        new LeaseLock(config.ownNamespace(), config.leaseName(), config.identity()))
                    .withLeaderCallbacks(
                        new LeaderCallbacks(startLeading, stopLeading, this::newLeader))
                    .build())
            .build();
    elector = next;
    var running = next.start();
    election = running;
    running.whenComplete(
        (done, failure) -> {
          if (!closing) {
            LOG.info("{} rejoins the leader election", config.identity());
            start();
          }
        });
    return this;
  }

  private void newLeader(String id) {
    if (!id.equals(lastLeader.getAndSet(id))) {
      LOG.info("leader is {}", id);
    }
  }

  /**
   * Leaves the election; with {@code leading}, releases the Lease first, synchronously (the release
   * on cancel runs asynchronously and would race the client's close): another replica takes over at
   * once instead of after the 15 s lease duration.
   */
  void close(boolean leading) {
    closing = true;
    if (election != null) {
      election.cancel(true);
    }
    if (leading && elector != null) {
      try {
        LOG.info("{} released the Lease: {}", config.identity(), elector.release());
      } catch (RuntimeException e) {
        LOG.warn("could not release the Lease: {}", e.getMessage());
      }
    }
    client.close();
  }
}
