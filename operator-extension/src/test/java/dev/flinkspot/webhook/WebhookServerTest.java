package dev.flinkspot.webhook;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.policy.StaticPolicyLookup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookServerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private WebhookCertificate certificate;
  private WebhookServer server;
  private HttpClient client;
  private final List<WebhookServer.Timed> observed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    certificate =
        WebhookCertificate.generate("flinkspot-webhook", "flinkspot-system", Instant.now());
    var policies =
        new StaticPolicyLookup().put("flink", "spot-taskmanagers", spec(SPOT_TASKMANAGERS));
    server =
        WebhookServer.start(
            "127.0.0.1", 0, certificate, new AdmissionHandler(policies), 2, observed::add);
    client = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesAdmissionReviewsOverTlsVerifiedByTheCaBundle() throws Exception {
    String body = AdmissionHandlerTest.review("create-stock-ticker.json").toString();

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/mutate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode review = MAPPER.readTree(response.body());
    assertThat(review.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(review.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    assertThat(observed)
        .singleElement()
        .extracting(WebhookServer.Timed::verdict)
        .isEqualTo(AdmissionHandler.Verdict.PATCHED);
  }

  @Test
  void malformedBodyIsABadRequest() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/mutate"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void certificateIsFreshForMonthsAndCoversTheServiceName() throws Exception {
    assertThat(certificate.freshAt(Instant.now())).isTrue();
    assertThat(certificate.freshAt(Instant.now().plusSeconds(365L * 24 * 3600))).isFalse();
    var cert =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(certificate.certPem().getBytes()));
    assertThat(cert.getSubjectAlternativeNames())
        .anySatisfy(n -> assertThat(n.get(1)).isEqualTo("flinkspot-webhook.flinkspot-system.svc"));
  }

  @Test
  void renewedCertificateIsServedWithoutRestartAndStillTrustedByTheSameCa() throws Exception {
    var renewed = certificate.renewServing("flinkspot-webhook", "flinkspot-system", Instant.now());
    assertThat(renewed.caPem()).isEqualTo(certificate.caPem());
    assertThat(renewed.certPem()).isNotEqualTo(certificate.certPem());

    server.reload(renewed);
    HttpResponse<String> response = postStockTickerReview(certificate, server.port());

    assertThat(response.statusCode()).isEqualTo(200);
    var served =
        (java.security.cert.X509Certificate)
            response.sslSession().orElseThrow().getPeerCertificates()[0];
    var expected =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(renewed.certPem().getBytes()));
    assertThat(served.getSerialNumber()).isEqualTo(expected.getSerialNumber());
    served.verify(certificate.caCertificate().getPublicKey());
  }

  @Test
  void onlyTls12PlusWithAeadSuitesAlsoAfterACertificateRenewal() throws Exception {
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")).isFalse();
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isTrue();
    assertThat(handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256")).isTrue();

    server.reload(certificate.renewServing("flinkspot-webhook", "flinkspot-system", Instant.now()));

    assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")).isFalse();
    assertThat(handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).isTrue();
  }

  /** A new connection trusting {@code certificate}'s CA posts the stock-ticker create review. */
  static HttpResponse<String> postStockTickerReview(WebhookCertificate certificate, int port)
      throws Exception {
    return HttpClient.newBuilder()
        .sslContext(certificate.trustingContext())
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/mutate"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        AdmissionHandlerTest.review("create-stock-ticker.json").toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Whether a client offering only {@code protocol} and {@code suite} gets a session. */
  private boolean handshake(String protocol, String suite) throws Exception {
    try (var socket =
        (javax.net.ssl.SSLSocket)
            certificate
                .trustingContext()
                .getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
      socket.setEnabledProtocols(new String[] {protocol});
      socket.setEnabledCipherSuites(new String[] {suite});
      socket.startHandshake();
      return socket.getSession().getCipherSuite().equals(suite);
    } catch (javax.net.ssl.SSLHandshakeException refused) {
      return false;
    }
  }

  @Test
  void caLastsTenYearsAndIsRenewedBeforeItCanNoLongerSignAFullYear() {
    Instant now = Instant.now();
    assertThat(certificate.caFreshAt(now.plus(java.time.Duration.ofDays(3000)))).isTrue();
    assertThat(certificate.caFreshAt(now.plus(java.time.Duration.ofDays(3300)))).isFalse();
  }
}
