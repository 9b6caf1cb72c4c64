package dev.flinkspot.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTPS endpoint the API server calls: {@code POST /mutate} with an AdmissionReview. */
public final class WebhookServer implements AutoCloseable {

  public static final String PATH = "/mutate";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_BODY = 3 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService executor;

  private WebhookServer(HttpsServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code port} (0 picks a free one).
   *
   * @param observer told of each verdict and its duration in nanoseconds (metrics)
   */
  public static WebhookServer start(
      String host,
      int port,
      SSLContext ssl,
      AdmissionHandler handler,
      int threads,
      Consumer<Timed> observer)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(host, port), 128);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    ExecutorService executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "webhook");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(PATH, exchange -> handle(exchange, handler, observer));
    server.start();
    LOG.info(
        "admission webhook listening on https://{}:{}{}",
        host,
        server.getAddress().getPort(),
        PATH);
    return new WebhookServer(server, executor);
  }

  /** One review: what was decided and how long it took. */
  public record Timed(AdmissionHandler.Verdict verdict, long nanos) {}

  private static void handle(
      HttpExchange exchange, AdmissionHandler handler, Consumer<Timed> observer)
      throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      JsonNode review;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          exchange.sendResponseHeaders(413, -1);
          return;
        }
        review = MAPPER.readTree(body);
      } catch (IOException e) {
        byte[] message = ("malformed AdmissionReview: " + e.getMessage()).getBytes();
        exchange.sendResponseHeaders(400, message.length);
        exchange.getResponseBody().write(message);
        return;
      }
      AdmissionHandler.Reply reply;
      try {
        reply = handler.review(review);
      } catch (RuntimeException e) {
        // Never block a FlinkDeployment on our bug: allow it unchanged, the reconciler reports.
        LOG.error("admission review failed; allowing unchanged", e);
        reply =
            new AdmissionHandler.Reply(
                AdmissionHandler.allowUnchanged(review), AdmissionHandler.Verdict.SKIPPED);
      }
      byte[] out = MAPPER.writeValueAsBytes(reply.review());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
      observer.accept(new Timed(reply.verdict(), System.nanoTime() - start));
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
