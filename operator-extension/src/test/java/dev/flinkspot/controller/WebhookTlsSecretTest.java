package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.webhook.WebhookCertificate;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class WebhookTlsSecretTest {

  KubernetesClient client;

  private WebhookTlsSecret certificates() {
    return new WebhookTlsSecret(
        client, "flinkspot-system", "flinkspot-webhook-tls", "flinkspot-webhook");
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
    WebhookCertificate certificate = certificates().ensure(Instant.now());

    assertThat(certificates().publishCaBundle("flinkspot", certificate)).isEqualTo(1);
    assertThat(certificates().publishCaBundle("flinkspot", certificate)).isZero();
    assertThat(certificates().publishCaBundle("absent", certificate)).isZero();
  }
}
