package dev.flinkspot.controller;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.webhook.AdmissionHandler;
import dev.flinkspot.webhook.WebhookCertificate;
import dev.flinkspot.webhook.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Not a test: prints admission latency (p50/p99 over 10,000 reviews through the HTTPS endpoint,
 * loopback only) and how long the controller takes to settle 1,000 FlinkDeployments on the
 * in-process mock API server, with peak heap. Run as documented in the issue note:
 *
 * <pre>
 * mvn -B -q -pl operator-extension test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -Xmx256m -cp operator-extension/target/test-classes:operator-extension/target/classes:$(cat operator-extension/target/test.classpath) \
 *     dev.flinkspot.controller.ControllerBenchmark
 * </pre>
 */
public final class ControllerBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int WARMUP = 2_000;
  private static final int REVIEWS = 10_000;
  private static final int DEPLOYMENTS = 1_000;

  private ControllerBenchmark() {}

  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING); // one INFO line per request otherwise
    admission();
    reconcile();
    System.exit(0);
  }

  static void admission() throws Exception {
    var policies =
        new StaticPolicyLookup().put("flink", "spot-taskmanagers", spec(SPOT_TASKMANAGERS));
    var handler = new AdmissionHandler(policies);
    JsonNode review;
    try (InputStream in =
        ControllerBenchmark.class.getResourceAsStream("/webhook/create-stock-ticker.json")) {
      review = MAPPER.readTree(in);
    }
    // The decision alone, no HTTP.
    long[] pure = new long[REVIEWS];
    long[] cpu = new long[REVIEWS];
    var threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < WARMUP + REVIEWS; i++) {
      long c = threads.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      handler.review(review);
      if (i >= WARMUP) {
        pure[i - WARMUP] = System.nanoTime() - t;
        cpu[i - WARMUP] = threads.getCurrentThreadCpuTime() - c;
      }
    }
    // Through the HTTPS endpoint, as the API server calls it (one keep-alive connection).
    var certificate =
        WebhookCertificate.generate("flinkspot-webhook", "flinkspot-system", Instant.now());
    long[] http = new long[REVIEWS];
    try (var server = WebhookServer.start("127.0.0.1", 0, certificate, handler, 4, t -> {})) {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(certificate.trustingContext())
              .build();
      String body = review.toString();
      URI uri = URI.create("https://localhost:" + server.port() + WebhookServer.PATH);
      for (int i = 0; i < WARMUP + REVIEWS; i++) {
        long t = System.nanoTime();
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("review failed: " + response.statusCode());
        }
        if (i >= WARMUP) {
          http[i - WARMUP] = System.nanoTime() - t;
        }
      }
    }
    System.out.printf(
        "admission, %d reviews after %d warm-up (CREATE of the stock-ticker FlinkDeployment, patched):%n",
        REVIEWS, WARMUP);
    System.out.printf(
        "  handler only      p50 %.3f ms  p99 %.3f ms (wall clock)%n",
        pct(pure, 50), pct(pure, 99));
    System.out.printf(
        "  handler only      p50 %.3f ms  p99 %.3f ms (thread CPU time)%n",
        pct(cpu, 50), pct(cpu, 99));
    System.out.printf(
        "  HTTPS round trip  p50 %.3f ms  p99 %.3f ms%n", pct(http, 50), pct(http, 99));
  }

  static void reconcile() throws Exception {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new java.util.HashMap<>(),
            new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      var scenarios = new PlacementScenarios(client);
      scenarios.createPolicy("spot-taskmanagers", SPOT_TASKMANAGERS);
      for (int i = 0; i < DEPLOYMENTS; i++) {
        scenarios.createDeployment(String.format("job-%04d", i), "", false);
      }
      System.gc();
      var config = TestControllerConfig.of(false, false).build();
      long start = System.nanoTime();
      try (var meter = new PhaseMeter();
          var runtime =
              new ControllerRuntime(
                      client,
                      config,
                      new SimpleMeterRegistry(),
                      Clock.systemUTC(),
                      Loops.standard(null))
                  .start()) {
        awaitSettled(client, runtime);
        double placed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "reconcile, %d new FlinkDeployments (each placed by one JSON patch), mock API server in-process:%n",
            DEPLOYMENTS);
        System.out.printf(
            "  settled in %.1f s (%.0f deployments/s), mock server included in the %s%n",
            placed, DEPLOYMENTS / placed, meter.heap());
      }
      // Restart on the placed deployments: the fixed point, zero writes expected.
      int before = server.getRequestCount();
      start = System.nanoTime();
      try (var meter = new PhaseMeter();
          var runtime =
              new ControllerRuntime(
                      client,
                      config,
                      new SimpleMeterRegistry(),
                      Clock.systemUTC(),
                      Loops.standard(null))
                  .start()) {
        awaitSettled(client, runtime);
        double settled = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "  restart on the placed deployments (fixed point): settled in %.1f s, %d API requests,"
                + " %s%n",
            settled, server.getRequestCount() - before, meter.heap());
      }
    } finally {
      server.destroy();
    }
  }

  private static void awaitSettled(KubernetesClient client, ControllerRuntime runtime)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (runtime.idle()) {
        var policy =
            client
                .resources(FlinkSpotPolicy.class)
                .inNamespace("flink")
                .withName("spot-taskmanagers")
                .get();
        boolean listed =
            policy.getStatus() != null && policy.getStatus().getGovernedCount() == DEPLOYMENTS;
        if (listed && allPlaced(client)) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("not settled in 5 minutes");
  }

  private static boolean allPlaced(KubernetesClient client) {
    for (var d : FlinkDeployments.in(client).inNamespace("flink").list().getItems()) {
      ObjectNode json = client.getKubernetesSerialization().convertValue(d, ObjectNode.class);
      if (Json.at(json, "spec", "taskManager", "podTemplate", "spec", "topologySpreadConstraints")
              .size()
          != 2) {
        return false;
      }
    }
    return true;
  }

  static double pct(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
