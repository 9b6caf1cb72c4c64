package dev.flinkspot.controller;

import dev.flinkspot.webhook.AdmissionHandler;
import dev.flinkspot.webhook.WebhookCertificate;
import dev.flinkspot.webhook.WebhookServer;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook loop, on every replica (leader or not): serves the admission webhook over HTTPS with
 * the certificate from the {@link WebhookTlsSecret}, publishes its CA in the
 * MutatingWebhookConfiguration, and re-reads the Secret every {@link #CERTIFICATE_CHECK}: the first
 * replica to see less than 30 days left renews it (same CA, so the caBundle and the other replicas
 * stay valid), the others reload what it stored. Each check publishes the caBundle before a new
 * certificate is served (after a CA rollover it holds both CAs), and puts it back if someone reset
 * it.
 */
final class WebhookLoop implements Loop {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookLoop.class);
  static final Duration CERTIFICATE_CHECK = Duration.ofMinutes(10);

  private final Shared shared;
  private final AtomicBoolean up = new AtomicBoolean();
  private final ScheduledExecutorService refresh =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "webhook-certificate");
            t.setDaemon(true);
            return t;
          });
  private volatile WebhookServer server;

  WebhookLoop(Shared shared) {
    this.shared = shared;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void start() throws Exception {
    var config = shared.config();
    var secret =
        new WebhookTlsSecret(
            shared.client(),
            config.ownNamespace(),
            config.tlsSecret(),
            config.webhookService(),
            shared.events());
    var certificate = secret.sync(config.webhookConfiguration(), Instant.now());
    server =
        WebhookServer.start(
            config.bindAddress(),
            config.webhookPort(),
            certificate,
            new AdmissionHandler(shared.index(), shared::hpasTargeting),
            4,
            t ->
                Timer.builder("flinkspot_admission")
                    .description("admission review latency")
                    .publishPercentiles(0.5, 0.99)
                    .tag("verdict", t.verdict().name())
                    .register(shared.metrics())
                    .record(Duration.ofNanos(t.nanos())));
    up.set(true);
    var serving = new java.util.concurrent.atomic.AtomicReference<WebhookCertificate>(certificate);
    refresh.scheduleWithFixedDelay(
        () -> {
          try {
            // Published first: the caBundle trusts the new certificate before it is served.
            var current = secret.sync(config.webhookConfiguration(), Instant.now());
            if (!current.certPem().equals(serving.get().certPem())) {
              server.reload(current);
            }
            serving.set(current);
          } catch (Exception e) {
            LOG.warn("webhook certificate refresh failed, retrying later: {}", e.toString());
          }
        },
        CERTIFICATE_CHECK.toMinutes(),
        CERTIFICATE_CHECK.toMinutes(),
        TimeUnit.MINUTES);
  }

  @Override
  public boolean synced() {
    return up.get();
  }

  /** The HTTPS port served, or -1 before {@link #start()}. */
  int port() {
    return server == null ? -1 : server.port();
  }

  @Override
  public void close() {
    refresh.shutdownNow();
    if (server != null) {
      server.close();
    }
  }
}
