package dev.flinkspot.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SSLOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint the API server calls: {@code POST /mutate} with an AdmissionReview. Served by
 * Vert.x (already in the jar as Fabric8's HTTP client); the review itself is decided on the event
 * loop, as it is pure in-memory work well under a millisecond. Hostile clients are bounded: body
 * size (refused on Content-Length, counted while streaming), bytes buffered in all, connections,
 * time per request, and TLS 1.2+ with AEAD suites only ({@link Limits}).
 */
public final class WebhookServer implements AutoCloseable {

  public static final String PATH = "/mutate";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * TLS 1.2 and 1.3 with AEAD suites only (no CBC, no RSA key exchange). The serving key is EC
   * P-256, so the TLS 1.2 suites are the ECDHE-ECDSA ones; all are in the default list of Go's
   * crypto/tls, which the API server's webhook client uses (go: src/crypto/tls/cipher_suites.go),
   * and match Mozilla's "intermediate" server configuration (ssl-config.mozilla.org).
   */
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  static final List<String> TLS_CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * What one server accepts at most.
   *
   * @param maxBody bytes of one AdmissionReview: the API server refuses requests over 3 MiB
   *     (kubernetes: staging/src/k8s.io/apiserver/pkg/server/config.go, MaxRequestBodyBytes), so a
   *     review of such an object is the largest legitimate body
   * @param maxBufferedBytes bytes of all request bodies in flight together
   * @param maxConnections open connections; more are closed at once
   * @param requestDeadline time from the request line to the end of its body; the API server gives
   *     up after the webhook's timeoutSeconds (at most 30 s) anyway
   */
  public record Limits(
      int maxBody, long maxBufferedBytes, int maxConnections, Duration requestDeadline) {
    /** 3 MiB per review, 24 MiB buffered in all, 128 connections, 15 s per request. */
    public static final Limits DEFAULT =
        new Limits(3 * 1024 * 1024, 24L * 1024 * 1024, 128, Duration.ofSeconds(15));
  }

  private final Vertx vertx;
  private final HttpServer server;

  private WebhookServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** One review: what was decided and how long it took. */
  public record Timed(AdmissionHandler.Verdict verdict, long nanos) {}

  /**
   * Starts serving on {@code port} (0 picks a free one).
   *
   * @param eventLoops threads serving connections
   * @param observer told of each verdict and its duration in nanoseconds (metrics)
   */
  public static WebhookServer start(
      String host,
      int port,
      WebhookCertificate certificate,
      AdmissionHandler handler,
      int eventLoops,
      Consumer<Timed> observer)
      throws Exception {
    return start(host, port, certificate, handler, eventLoops, observer, Limits.DEFAULT);
  }

  /** As above, within {@code limits}. */
  public static WebhookServer start(
      String host,
      int port,
      WebhookCertificate certificate,
      AdmissionHandler handler,
      int eventLoops,
      Consumer<Timed> observer,
      Limits limits)
      throws Exception {
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setSsl(true)
            .setKeyCertOptions(pfx(certificate))
            .setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
            .setIdleTimeout(120)
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    TLS_CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    AtomicInteger connections = new AtomicInteger();
    AtomicLong inFlight = new AtomicLong();
    HttpServer server =
        vertx
            .createHttpServer(options)
            .connectionHandler(
                connection -> {
                  connection.closeHandler(v -> connections.decrementAndGet());
                  if (connections.incrementAndGet() > limits.maxConnections()) {
                    connection.close();
                  }
                })
            .requestHandler(request -> handle(request, limits, inFlight, vertx, handler, observer));
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    LOG.info("admission webhook listening on https://{}:{}{}", host, server.actualPort(), PATH);
    return new WebhookServer(vertx, server);
  }

  private static void handle(
      HttpServerRequest request,
      Limits limits,
      AtomicLong inFlight,
      Vertx vertx,
      AdmissionHandler handler,
      Consumer<Timed> observer) {
    long start = System.nanoTime();
    if (!PATH.equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (request.method() != HttpMethod.POST) {
      request.response().setStatusCode(405).end();
      return;
    }
    BoundedBody.read(
        request,
        limits,
        inFlight,
        vertx,
        body -> {
          JsonNode review;
          try {
            review = MAPPER.readTree(body.getBytes());
          } catch (IOException e) {
            request.response().setStatusCode(400).end("malformed AdmissionReview");
            return;
          }
          AdmissionHandler.Reply reply;
          try {
            reply = handler.review(review);
          } catch (RuntimeException e) {
            // Never block a FlinkDeployment on our bug: allow it unchanged; the reconciler
            // reports.
            LOG.error("admission review failed; allowing unchanged", e);
            reply =
                new AdmissionHandler.Reply(
                    AdmissionHandler.allowUnchanged(review), AdmissionHandler.Verdict.SKIPPED);
          }
          byte[] out;
          try {
            out = MAPPER.writeValueAsBytes(reply.review());
          } catch (IOException e) {
            request.response().setStatusCode(500).end();
            return;
          }
          request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(out));
          observer.accept(new Timed(reply.verdict(), System.nanoTime() - start));
        });
  }

  /** Serves {@code certificate} for new connections from now on (a renewed certificate). */
  public void reload(WebhookCertificate certificate) throws Exception {
    SSLOptions ssl =
        new SSLOptions()
            .setKeyCertOptions(pfx(certificate))
            .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
    TLS_CIPHER_SUITES.forEach(ssl::addEnabledCipherSuite);
    server
        .updateSSLOptions(ssl)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    LOG.info("webhook now serves the renewed certificate");
  }

  private static PfxOptions pfx(WebhookCertificate certificate) throws Exception {
    ByteArrayOutputStream p12 = new ByteArrayOutputStream();
    certificate.keyStore().store(p12, new char[0]);
    return new PfxOptions().setValue(Buffer.buffer(p12.toByteArray())).setPassword("");
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("webhook server did not stop cleanly: {}", e.toString());
    }
  }
}
