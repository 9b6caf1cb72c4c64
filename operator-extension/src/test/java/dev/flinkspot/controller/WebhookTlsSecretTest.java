package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.webhook.WebhookCertificate;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class WebhookTlsSecretTest {

  KubernetesClient client;
  final List<String> events = new ArrayList<>();

  private WebhookTlsSecret certificates() {
    EventRecorder events = (target, reason, message) -> this.events.add(reason + ": " + message);
    return new WebhookTlsSecret(
        client, "flinkspot-system", "flinkspot-webhook-tls", "flinkspot-webhook", events);
  }

  @Test
  void firstReplicaIssuesTheOthersReuse() {
    Instant now = Instant.now();
    WebhookCertificate first = certificates().ensure(now);
    WebhookCertificate second = certificates().ensure(now.plus(Duration.ofDays(1)));

    assertThat(second).isEqualTo(first);
    assertThat(
            client
                .secrets()
                .inNamespace("flinkspot-system")
                .withName("flinkspot-webhook-tls")
                .get()
                .getData())
        .containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
  }

  @Test
  void servingCertificateIsRenewedWithTheSameCaWhenItNearsExpiry() {
    Instant issued = Instant.now();
    WebhookCertificate first = certificates().ensure(issued);

    WebhookCertificate later = certificates().ensure(issued.plus(Duration.ofDays(340)));

    assertThat(later.certPem()).isNotEqualTo(first.certPem());
    assertThat(later.caPem()).isEqualTo(first.caPem());
    assertThat(later.freshAt(issued.plus(Duration.ofDays(340)))).isTrue();
    assertThat(certificates().ensure(issued.plus(Duration.ofDays(341)))).isEqualTo(later);
  }

  @Test
  void caBundleIsPatchedOnceIntoEveryWebhook() {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("flinkspot")
                .endMetadata()
                .addNewWebhook()
                .withName("placement.flinkspot.dev")
                .withNewClientConfig()
                .withNewService()
                .withName("flinkspot-webhook")
                .withNamespace("flinkspot-system")
                .endService()
                .endClientConfig()
                .endWebhook()
                .build())
        .create();
    WebhookCertificate certificate = certificates().sync("flinkspot", Instant.now());

    assertThat(caBundle()).isEqualTo(b64(certificate.caPem()));
    var config = configuration();
    assertThat(WebhookTlsSecret.caBundlePatch(config, caBundle())).isNull();
    assertThat(certificates().sync("flinkspot", Instant.now())).isEqualTo(certificate);
    assertThat(configuration().getMetadata().getResourceVersion())
        .isEqualTo(config.getMetadata().getResourceVersion());
    assertThat(certificates().sync("absent", Instant.now())).isEqualTo(certificate);
    assertThat(events).isEmpty();
  }

  private MutatingWebhookConfiguration configuration() {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName("flinkspot")
        .get();
  }

  private String caBundle() {
    return configuration().getWebhooks().get(0).getClientConfig().getCaBundle();
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void secretThatIsNotBase64IsReissuedFromTheSameCaWithAnEvent() {
    WebhookCertificate first = certificates().ensure(Instant.now());
    var secret =
        client.secrets().inNamespace("flinkspot-system").withName("flinkspot-webhook-tls").get();
    secret.getData().put("tls.key", "!!not base64!!");
    client.secrets().inNamespace("flinkspot-system").resource(secret).update();

    WebhookCertificate reissued = certificates().ensure(Instant.now());

    assertThat(reissued.problem()).isNull();
    assertThat(reissued.caPem()).isEqualTo(first.caPem());
    assertThat(reissued.certPem()).isNotEqualTo(first.certPem());
    assertThat(events)
        .singleElement()
        .asString()
        .startsWith("WebhookCertificateReissued: Secret flinkspot-system/flinkspot-webhook-tls")
        .contains("tls.key is not base64");
    assertThat(certificates().ensure(Instant.now())).isEqualTo(reissued);
    assertThat(events).hasSize(1);
  }

  @Test
  void caBundlePatchTestsTheValuesItReplaces() {
    var config =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName("flinkspot")
            .withResourceVersion("7")
            .endMetadata()
            .addNewWebhook()
            .withName("a.flinkspot.dev")
            .withNewClientConfig()
            .withCaBundle("T0xE")
            .endClientConfig()
            .endWebhook()
            .addNewWebhook()
            .withName("b.flinkspot.dev")
            .withNewClientConfig()
            .withCaBundle("TkVX")
            .endClientConfig()
            .endWebhook()
            .build();

    assertThat(WebhookTlsSecret.caBundlePatch(config, "TkVX"))
        .isEqualTo(
            "[{\"op\":\"test\",\"path\":\"/webhooks/0/name\",\"value\":\"a.flinkspot.dev\"},"
                + "{\"op\":\"test\",\"path\":\"/webhooks/0/clientConfig/caBundle\","
                + "\"value\":\"T0xE\"},"
                + "{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\","
                + "\"value\":\"TkVX\"}]");
    config.getWebhooks().get(0).getClientConfig().setCaBundle(null);
    assertThat(WebhookTlsSecret.caBundlePatch(config, "TkVX"))
        .startsWith("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"}");
    assertThat(
            WebhookTlsSecret.caBundlePatch(
                config.edit().removeFromWebhooks(config.getWebhooks().get(0)).build(), "TkVX"))
        .isNull();
  }
}
