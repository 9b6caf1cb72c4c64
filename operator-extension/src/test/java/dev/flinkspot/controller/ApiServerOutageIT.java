package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.policy.PolicyFixtures;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 item 3 on a real kube-apiserver: the API server is stopped for longer than the renew
 * deadline under a leading controller, then started again on the same port (etcd keeps running).
 * The controller must not exit (the runtime's default reaction is used), must keep answering
 * admission (a placement patch from its caches) while the API server is away, must write nothing
 * while it does not lead, must take the Lease again and reach a fixed point again; a clean close
 * releases the Lease (a second replica leads within seconds, not after the 15 s lease).
 */
class ApiServerOutageIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      KubeControlPlaneExtension.installing(FlinkCrds::installWithPolicies);

  private static final String NS = "outage";

  /** POSTs a CREATE of a governed deployment to the controller's webhook; returns the reply. */
  private static String admit(int port) throws Exception {
    var review =
        new String(
                ApiServerOutageIT.class
                    .getResourceAsStream("/webhook/create-stock-ticker.json")
                    .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"namespace\": \"flink\"", "\"namespace\": \"" + NS + "\"");
    var trustAll =
        new javax.net.ssl.X509TrustManager() {
          @Override
          public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

          @Override
          public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
          }
        };
    var tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
    var connection =
        (javax.net.ssl.HttpsURLConnection)
            java.net.URI.create("https://127.0.0.1:" + port + "/mutate").toURL().openConnection();
    connection.setSSLSocketFactory(tls.getSocketFactory());
    connection.setHostnameVerifier((host, session) -> true); // a test-only self-signed server
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(5_000);
    connection.setRequestMethod("POST");
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setDoOutput(true);
    try (var out = connection.getOutputStream()) {
      out.write(review.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    try (var in = connection.getInputStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void theLeaderSurvivesAnOutageWritesNothingWhileNotLeadingAndLeadsAgain() throws Exception {
    KubernetesClient client = KUBE.client();
    TestNamespaces.create(client, NS, "flinkspot-system");
    var scenarios = new PlacementScenarios(client, NS);
    scenarios.createPolicy("spot-taskmanagers", PolicyFixtures.SPOT_TASKMANAGERS);
    scenarios.createDeployment("before", "", false);

    // Every write the controller sends (anything but GET and the Lease), and whether it led then.
    var runtimeRef = new AtomicReference<ControllerRuntime>();
    List<String> writesWhileNotLeading = new CopyOnWriteArrayList<>();
    AtomicInteger writes = new AtomicInteger();
    Interceptor recorder =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            String path = request.uri().getPath();
            // The webhook's own TLS Secret and caBundle are every replica's (each serves
            // admission), written at start before the election; the Lease is the election's.
            if (request.method().equals("GET")
                || path.contains("/leases")
                || path.startsWith("/api/v1/namespaces/flinkspot-system/secrets")
                || path.contains("/mutatingwebhookconfigurations")) {
              return;
            }
            writes.incrementAndGet();
            var runtime = runtimeRef.get();
            if (runtime != null && !runtime.shared().leading()) {
              writesWhileNotLeading.add(request.method() + " " + request.uri().getPath());
            }
          }
        };
    var lost = new AtomicInteger();
    try (KubernetesClient controllerClient =
            new KubernetesClientBuilder()
                .withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record", recorder))
                .build();
        var runtime =
            new ControllerRuntime(
                controllerClient,
                TestControllerConfig.of(true, true).build(),
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                Loops.standard(null))) {
      runtimeRef.set(runtime);
      // The default reaction to a lost Lease stays in place (it used to halt this JVM).
      runtime.start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> scenarios.assertPlacedAndAFixedPoint("before"));
      assertThat(runtime.shared().leading()).isTrue();

      Runnable restart = KUBE.controlPlane().stopApiServerForAWhile();
      long stoppedAt = System.nanoTime();
      try {
        // Renew deadline 10 s: the Lease is given up; the replica stays up and stops writing.
        Awaitility.await()
            .atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> !runtime.shared().leading());
        System.out.printf(
            "API server outage: the Lease given up %d ms after the stop%n",
            Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis());
        var cached = runtime.shared().deployments().get(NS, "before");
        assertThat(cached).as("the caches outlive the outage").isNotNull();
        assertThatThrownBy(
                () ->
                    runtime
                        .shared()
                        .writer()
                        .jsonPatch(FlinkDeployments.CONTEXT, cached, "[]", "test"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not the leader");
        assertThat(runtime.live()).isTrue();
        // Admission is served from the caches while the API server is away.
        assertThat(admit(runtime.webhookPort())).contains("\"allowed\":true").contains("\"patch\"");
      } finally {
        restart.run();
      }
      System.out.printf(
          "API server outage: down %d s; leadership lost and the replica stayed up%n",
          Duration.ofNanos(System.nanoTime() - stoppedAt).toSeconds());

      // Back: a deployment that arrives now is placed once the Lease is taken again.
      scenarios.createDeployment("after", "", false);
      long back = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> runtime.shared().leading());
      System.out.printf(
          "API server outage: the Lease taken again %d ms after the restart%n",
          Duration.ofNanos(System.nanoTime() - back).toMillis());
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                scenarios.assertPlacedAndAFixedPoint("after");
                scenarios.assertPlacedAndAFixedPoint("before");
              });
      // A fixed point again: nothing more is written while the runtime idles.
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(runtime::idle);
      int settled = writes.get();
      Thread.sleep(5_000);
      assertThat(writes.get()).as("writes at the fixed point").isEqualTo(settled);
      assertThat(writesWhileNotLeading).as("writes while not leading").isEmpty();
      assertThat(lost.get()).isZero(); // no hook set: the counter only shows that nothing ran
    }
    // A clean close releases the Lease: another replica takes over at once, not after the 15 s
    // lease duration.
    long closed = System.nanoTime();
    try (var second =
        new ControllerRuntime(
                client,
                TestControllerConfig.of(true, false).identity("second-replica").build(),
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                Loops.standard(null))
            .start()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(8))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> second.shared().leading());
      System.out.printf(
          "API server outage: a second replica leads %d ms after the first closed%n",
          Duration.ofNanos(System.nanoTime() - closed).toMillis());
    }
  }
}
