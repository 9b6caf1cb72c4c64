package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 3: with the API server away, the controller's preflight waits (with backoff) rather
 * than exiting 2, and goes on as soon as the API server answers.
 */
class ControllerPreflightWaitTest {

  @Test
  void preflightWaitsForTheApiServerThenGoesOn() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    var config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + port)
            .withRequestRetryBackoffLimit(0)
            .build();
    try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
      var waiting = CompletableFuture.runAsync(() -> ControllerCommand.awaitApiServer(client));
      Thread.sleep(2_500); // attempts at 0, 1 and 3 s: two refused so far
      assertThat(waiting).as("still waiting, not failed").isNotDone();

      HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      api.createContext(
          "/version",
          exchange -> {
            byte[] body =
                "{\"major\":\"1\",\"minor\":\"34\",\"gitVersion\":\"v1.34.4\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      api.start();
      try {
        waiting.get(10, TimeUnit.SECONDS); // the next attempt (at 3 s) finds it
      } finally {
        api.stop(0);
      }
    }
  }
}
