package dev.flinkspot.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Plain-HTTP endpoints for the kubelet and Prometheus: /healthz, /readyz and /metrics. */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** Starts one server on {@code address} (an IP literal) and {@code port}. */
  public static HealthServer start(
      String address,
      int port,
      BooleanSupplier live,
      BooleanSupplier ready,
      Supplier<String> metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext("/healthz", e -> respond(e, live.getAsBoolean() ? 200 : 503, "ok\n"));
    server.createContext("/readyz", e -> respond(e, ready.getAsBoolean() ? 200 : 503, "ready\n"));
    server.createContext("/metrics", e -> respond(e, 200, metrics.get()));
    server.start();
    return new HealthServer(server);
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    try (exchange) {
      byte[] bytes = (code == 200 ? body : "not " + body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
