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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint the API server calls: {@code POST /mutate} with an AdmissionReview. Served by
 * Vert.x (already in the jar as Fabric8's HTTP client); the review itself is decided on the event
 * loop, as it is pure in-memory work well under a millisecond.
 */
public final class WebhookServer implements AutoCloseable {

  public static final String PATH = "/mutate";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_BODY = 3 * 1024 * 1024;

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
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1));
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setSsl(true)
            .setKeyCertOptions(pfx(certificate))
            .setIdleTimeout(120)
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    HttpServer server =
        vertx
            .createHttpServer(options)
            .requestHandler(request -> handle(request, handler, observer));
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
      HttpServerRequest request, AdmissionHandler handler, Consumer<Timed> observer) {
    long start = System.nanoTime();
    if (!PATH.equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (request.method() != HttpMethod.POST) {
      request.response().setStatusCode(405).end();
      return;
    }
    request
        .body()
        .onFailure(e -> request.response().setStatusCode(400).end())
        .onSuccess(
            body -> {
              if (body.length() > MAX_BODY) {
                request.response().setStatusCode(413).end();
                return;
              }
              JsonNode review;
              try {
                review = MAPPER.readTree(body.getBytes());
              } catch (IOException e) {
                request
                    .response()
                    .setStatusCode(400)
                    .end("malformed AdmissionReview: " + e.getMessage());
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
              request
                  .response()
                  .putHeader("Content-Type", "application/json")
                  .end(Buffer.buffer(out));
              observer.accept(new Timed(reply.verdict(), System.nanoTime() - start));
            });
  }

  /** Serves {@code certificate} for new connections from now on (a renewed certificate). */
  public void reload(WebhookCertificate certificate) throws Exception {
    server
        .updateSSLOptions(new io.vertx.core.net.SSLOptions().setKeyCertOptions(pfx(certificate)))
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
