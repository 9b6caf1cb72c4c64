package dev.flinkspot.controller;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs whether the API server answers, one line per change of state and none in between: the
 * informers retry an outage quietly, and a run without leader election has no Lease to lose, so an
 * outage would otherwise leave no trace in the log. It asks {@code /version} every {@link #PERIOD},
 * without retries and with a 5 s deadline, on a client of its own.
 */
public final class ApiServerWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServerWatch.class);
  static final Duration PERIOD = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "api-server-watch");
            t.setDaemon(true);
            return t;
          });
  private long downSince; // System.nanoTime() of the first failure; 0 while reachable

  /** Watches the API server {@code client} talks to; it was reachable at start (preflight). */
  public ApiServerWatch(KubernetesClient client) {
    this.client = failFast(client);
  }

  /**
   * A client like {@code client} whose requests fail within 5 s, without retries (Fabric8 retries a
   * failed request up to 10 times with backoff by default): for the Lease and this watch, which
   * must notice an unreachable API server in time.
   */
  static KubernetesClient failFast(KubernetesClient client) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(5_000)
                .withConnectionTimeout(5_000)
                .build())
        .build();
  }

  public ApiServerWatch start() {
    timer.scheduleWithFixedDelay(
        this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void check() {
    try {
      client.getKubernetesVersion();
      if (downSince != 0) {
        LOG.info(
            "API server reachable again after {} s",
            Duration.ofNanos(System.nanoTime() - downSince).toSeconds());
        downSince = 0;
      }
    } catch (RuntimeException e) {
      if (downSince == 0) {
        downSince = System.nanoTime();
        LOG.warn(
            "API server unreachable at {} ({}): nothing is written until it is back; the caches"
                + " keep serving admission",
            client.getMasterUrl(),
            rootMessage(e));
      }
    }
  }

  /** The innermost cause's message: the reason (connection refused), not the client's wrapping. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    client.close();
  }
}
