package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestControllerConfig;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.webhook.AdmissionHandler;
import dev.flinkspot.webhook.WebhookCertificate;
import dev.flinkspot.webhook.WebhookServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 4 on a real kube-apiserver: the webhook certificate's rotation. A CA rollover
 * leaves the old and the new CA in the caBundle until the overlap ends, and the API server really
 * calls a webhook serving a certificate from either (TLS checked by the API server itself, with
 * failurePolicy Fail, so a call that fails TLS fails the create); a replica holding the old
 * certificate never puts the old CA back; a caBundle changed between read and write fails the JSON
 * Patch test; a Secret whose material cannot be served is re-issued at start, with an Event on the
 * Secret, instead of failing the start.
 */
class WebhookCertificateRotationIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            FlinkCrds.installWithPolicies(kube.client());
            TestNamespaces.create(kube.client(), "flinkspot-system", "rotation");
          });

  private static final String NS = "flinkspot-system";
  private static final String SECRET = "flinkspot-webhook-tls";
  private static final String SERVICE = "flinkspot-webhook";
  private static final String CONFIG = "flinkspot";

  private final KubernetesClient client = KUBE.client();
  private final AtomicInteger created = new AtomicInteger();
  private final List<String> events = new ArrayList<>();

  @BeforeEach
  @AfterEach
  void clean() {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).delete();
    client.secrets().inNamespace(NS).withName(SECRET).delete();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.secrets().inNamespace(NS).withName(SECRET).get() == null);
  }

  @Test
  void caRolloverKeepsBothCasUntilTheOverlapEndsAndTheApiServerTrustsEither() throws Exception {
    Instant now = Instant.now();
    // A CA issued 3,450 days ago (200 days left) and its serving certificate with 25 days left:
    // the CA can no longer sign a full year, so the renewal rolls it over.
    WebhookCertificate old =
        WebhookCertificate.generate(SERVICE, NS, now.minus(Duration.ofDays(3450)))
            .renewServing(SERVICE, NS, now.minus(Duration.ofDays(340)));
    storeSecret(old, data -> data);
    AtomicInteger oldCalls = new AtomicInteger();
    AtomicInteger newCalls = new AtomicInteger();
    try (WebhookServer stale = serve(old, oldCalls)) {
      createConfiguration(stale.port(), old.caPem());
      awaitCalledThroughTls(oldCalls);

      WebhookCertificate rolled = replica().sync(CONFIG, now);

      assertThat(rolled.caPem()).isNotEqualTo(old.caPem());
      assertThat(rolled.previousCaPem()).isEqualTo(old.caPem());
      assertThat(rolled.problem()).isNull();
      assertThat(bundleCas()).containsExactlyInAnyOrder(ca(rolled.caPem()), ca(old.caPem()));
      assertThat(secretData()).containsKey(WebhookTlsSecret.PREVIOUS_CA);
      try (WebhookServer renewed = serve(rolled, newCalls)) {
        // A new URL is a new client in the API server, so each step is a new TLS handshake
        // (a kept-alive connection would hide a certificate the caBundle no longer trusts).
        // The replica that rolled over serves the new certificate: trusted.
        pointTo(renewed.port());
        awaitCalledThroughTls(newCalls);
        // A replica that has not re-read the Secret yet still serves the old one: still trusted.
        pointTo(stale.port());
        awaitCalledThroughTls(oldCalls);

        // That replica's next check: it reads the Secret, not what it served, and writes nothing.
        String version = configuration().getMetadata().getResourceVersion();
        assertThat(replica().sync(CONFIG, now.plus(Duration.ofMinutes(10)))).isEqualTo(rolled);
        assertThat(configuration().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(bundleCas()).containsExactlyInAnyOrder(ca(rolled.caPem()), ca(old.caPem()));

        // After the overlap the old CA leaves the caBundle and the Secret.
        Instant afterOverlap = now.plus(WebhookCertificate.CA_OVERLAP).plus(Duration.ofHours(1));
        WebhookCertificate settled = replica().sync(CONFIG, afterOverlap);
        assertThat(settled.previousCaPem()).isNull();
        assertThat(settled.certPem()).isEqualTo(rolled.certPem());
        assertThat(bundleCas()).containsExactly(ca(rolled.caPem()));
        assertThat(secretData()).doesNotContainKey(WebhookTlsSecret.PREVIOUS_CA);
        // The control: the API server now refuses the old certificate (and calls the new one).
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () ->
                    assertThatThrownBy(this::createProbe)
                        .isInstanceOf(KubernetesClientException.class)
                        .hasMessageContaining("x509"));
        pointTo(renewed.port());
        awaitCalledThroughTls(newCalls);
      }
    }
    assertThat(events).isEmpty();
  }

  @Test
  void aCaBundleWrittenBetweenReadAndPatchFailsTheTestAndIsKept() throws Exception {
    WebhookCertificate ours = WebhookCertificate.generate(SERVICE, NS, Instant.now());
    WebhookCertificate theirs = WebhookCertificate.generate(SERVICE, NS, Instant.now());
    createConfiguration(8443, ours.caPem());
    MutatingWebhookConfiguration read = configuration();
    String stale = WebhookTlsSecret.caBundlePatch(read, b64(ours.caPem() + theirs.caPem()));
    // Another replica publishes meanwhile (a PATCH that touches nothing else).
    String newer = WebhookTlsSecret.caBundlePatch(read, b64(theirs.caPem()));
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(CONFIG)
        .patch(PatchContext.of(PatchType.JSON), newer);

    KubernetesClientException refused = null;
    try {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(CONFIG)
          .patch(PatchContext.of(PatchType.JSON), stale);
    } catch (KubernetesClientException e) {
      refused = e;
    }
    assertThat(refused).as("the stale patch must fail its test").isNotNull();
    assertThat(dev.flinkspot.kube.Writer.lostRace(refused, false, true))
        .as(refused.getMessage())
        .isTrue();
    assertThat(bundleCas()).containsExactly(ca(theirs.caPem()));
  }

  /**
   * Material the controller cannot serve: a key whose PEM body is not base64, a certificate that is
   * no PEM, a CA key of another CA. Each used to fail the start (a crash loop).
   */
  @ParameterizedTest
  @ValueSource(strings = {"tls.key", "tls.crt", "ca.key"})
  void anUnusableSecretIsReissuedAtStartWithAnEvent(String broken) throws Exception {
    Instant now = Instant.now();
    WebhookCertificate good = WebhookCertificate.generate(SERVICE, NS, now);
    WebhookCertificate other = WebhookCertificate.generate(SERVICE, NS, now);
    storeSecret(
        good,
        data -> {
          data.put(
              broken,
              switch (broken) {
                case "tls.key" ->
                    b64(
                        "-----BEGIN PRIVATE KEY-----\n!!not*base64!!\n"
                            + "-----END PRIVATE KEY-----\n");
                case "tls.crt" -> b64("not a certificate");
                default -> b64(other.caKeyPem());
              });
          return data;
        });
    createConfiguration(9443, good.caPem());
    String uid = client.secrets().inNamespace(NS).withName(SECRET).get().getMetadata().getUid();

    try (var runtime =
        new ControllerRuntime(
                client,
                TestControllerConfig.of(false, true).build(),
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                Loops.standard(null))
            .start()) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(runtime::ready);
      WebhookCertificate stored = fromSecret(secretData());
      assertThat(stored.problem()).isNull();
      // A usable CA is kept (the caBundle stays valid); an unusable one is replaced.
      if (broken.startsWith("tls.")) {
        assertThat(stored.caPem()).isEqualTo(good.caPem());
        assertThat(bundleCas()).containsExactly(ca(good.caPem()));
      } else {
        assertThat(stored.caPem()).isNotEqualTo(good.caPem());
        assertThat(bundleCas()).containsExactlyInAnyOrder(ca(stored.caPem()), ca(good.caPem()));
      }
      // What the runtime serves chains to the caBundle the API server uses.
      handshake(runtime.webhookPort(), caBundlePem());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().inNamespace(NS).list().getItems())
                      .anySatisfy(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("WebhookCertificateReissued");
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Secret");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo(SECRET);
                            assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid);
                            assertThat(e.getMessage()).contains(NS + "/" + SECRET).contains(broken);
                          }));
    }
  }

  private WebhookTlsSecret replica() {
    return new WebhookTlsSecret(
        client,
        NS,
        SECRET,
        SERVICE,
        (target, reason, message) -> events.add(reason + ": " + message));
  }

  private WebhookServer serve(WebhookCertificate certificate, AtomicInteger calls)
      throws Exception {
    return WebhookServer.start(
        "127.0.0.1",
        0,
        certificate,
        new AdmissionHandler(new StaticPolicyLookup()),
        1,
        t -> calls.incrementAndGet());
  }

  /**
   * Creates ConfigMaps in "rotation" until one is admitted by a call counted in {@code calls}: the
   * webhook's failurePolicy is Fail, so a create succeeds only when the API server called the
   * webhook over TLS, trusting the caBundle.
   */
  private void awaitCalledThroughTls(AtomicInteger calls) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .ignoreException(KubernetesClientException.class)
        .untilAsserted(
            () -> {
              int before = calls.get();
              createProbe();
              assertThat(calls.get()).isGreaterThan(before);
            });
  }

  private void createProbe() {
    client
        .configMaps()
        .inNamespace("rotation")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("probe-" + created.incrementAndGet())
                .endMetadata()
                .build())
        .create();
  }

  /** Points the webhook at another local port (a JSON Patch of the URL only). */
  private void pointTo(int port) {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(CONFIG)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig/url\",\"value\":"
                + "\"https://127.0.0.1:"
                + port
                + WebhookServer.PATH
                + "\"}]");
  }

  private void createConfiguration(int port, String caPem) {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(CONFIG)
                .endMetadata()
                .addNewWebhook()
                .withName("placement.flinkspot.dev")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Fail")
                .withTimeoutSeconds(5)
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + port + WebhookServer.PATH)
                .withCaBundle(b64(caPem))
                .endClientConfig()
                .withNewNamespaceSelector()
                .addNewMatchExpression()
                .withKey("kubernetes.io/metadata.name")
                .withOperator("In")
                .withValues("rotation")
                .endMatchExpression()
                .endNamespaceSelector()
                .addNewRule()
                .withApiGroups("")
                .withApiVersions("v1")
                .withOperations("CREATE")
                .withResources("configmaps")
                .endRule()
                .endWebhook()
                .build())
        .create();
  }

  private void storeSecret(
      WebhookCertificate certificate, UnaryOperator<Map<String, String>> change) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("ca.crt", b64(certificate.caPem()));
    data.put("ca.key", b64(certificate.caKeyPem()));
    data.put("tls.crt", b64(certificate.certPem()));
    data.put("tls.key", b64(certificate.keyPem()));
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(NS)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(change.apply(data))
                .build())
        .create();
  }

  private Map<String, String> secretData() {
    Secret secret = client.secrets().inNamespace(NS).withName(SECRET).get();
    return secret.getData();
  }

  private static WebhookCertificate fromSecret(Map<String, String> data) {
    return new WebhookCertificate(
        unb64(data.get("ca.crt")),
        unb64(data.get("ca.key")),
        unb64(data.get("tls.crt")),
        unb64(data.get("tls.key")),
        data.containsKey(WebhookTlsSecret.PREVIOUS_CA)
            ? unb64(data.get(WebhookTlsSecret.PREVIOUS_CA))
            : null);
  }

  private MutatingWebhookConfiguration configuration() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(CONFIG)
        .get();
  }

  private String caBundlePem() {
    return unb64(configuration().getWebhooks().get(0).getClientConfig().getCaBundle());
  }

  /** The caBundle's CAs, by subject and serial. */
  private List<String> bundleCas() throws Exception {
    List<String> cas = new ArrayList<>();
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(caBundlePem().getBytes(StandardCharsets.US_ASCII)))) {
      X509Certificate x = (X509Certificate) c;
      cas.add(x.getSubjectX500Principal().getName() + "#" + x.getSerialNumber());
    }
    return cas;
  }

  private static String ca(String pem) throws Exception {
    X509Certificate x =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    return x.getSubjectX500Principal().getName() + "#" + x.getSerialNumber();
  }

  /** A TLS handshake with the webhook port, trusting exactly {@code bundlePem}. */
  private static void handshake(int port, String bundlePem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (var c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(bundlePem.getBytes(StandardCharsets.US_ASCII)))) {
      trust.setCertificateEntry("ca" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
    }
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String unb64(String text) {
    return new String(Base64.getDecoder().decode(text), StandardCharsets.US_ASCII);
  }
}
