package dev.flinkspot.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The certificate decisions, on plain objects: renewal, rollover, overlap, unusable material. */
class WebhookCertificateTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void lastingMaterialIsKeptAndANearExpiryServingCertificateKeepsItsCa() {
    WebhookCertificate issued = WebhookCertificate.generate("svc", "ns", NOW);

    assertThat(issued.next("svc", "ns", NOW.plus(Duration.ofDays(300)))).isSameAs(issued);
    WebhookCertificate renewed = issued.next("svc", "ns", NOW.plus(Duration.ofDays(340)));
    assertThat(renewed.caPem()).isEqualTo(issued.caPem());
    assertThat(renewed.certPem()).isNotEqualTo(issued.certPem());
    assertThat(renewed.previousCaPem()).isNull();
    assertThat(renewed.caBundlePem(NOW)).isEqualTo(issued.caPem());
  }

  @Test
  void aRolloverKeepsThePreviousCaInTheBundleForTheOverlapOnly() {
    WebhookCertificate old = WebhookCertificate.generate("svc", "ns", NOW);
    Instant late = NOW.plus(Duration.ofDays(3650 - 200));

    WebhookCertificate rolled = old.next("svc", "ns", late);

    assertThat(rolled.caPem()).isNotEqualTo(old.caPem());
    assertThat(rolled.previousCaPem()).isEqualTo(old.caPem());
    assertThat(rolled.previousCaUntil())
        .isBetween(late.plus(Duration.ofDays(29)), late.plus(Duration.ofDays(31)));
    assertThat(rolled.caBundlePem(late)).isEqualTo(rolled.caPem() + old.caPem());
    Instant after = rolled.previousCaUntil().plusSeconds(1);
    assertThat(rolled.caBundlePem(after)).isEqualTo(rolled.caPem());
    WebhookCertificate settled = rolled.next("svc", "ns", after);
    assertThat(settled.previousCaPem()).isNull();
    assertThat(settled.certPem()).isEqualTo(rolled.certPem());
  }

  @Test
  void theOverlapEndsWhenThePreviousCaExpiresIfSooner() {
    WebhookCertificate old = WebhookCertificate.generate("svc", "ns", NOW);
    Instant caExpiry = NOW.plus(Duration.ofDays(3650));
    WebhookCertificate rolled = old.next("svc", "ns", caExpiry.minus(Duration.ofDays(10)));

    assertThat(rolled.previousCaUntil()).isBefore(caExpiry.plusSeconds(1));
  }

  @Test
  void unusableMaterialIsNamedAndReissued() {
    WebhookCertificate good = WebhookCertificate.generate("svc", "ns", NOW);
    WebhookCertificate other = WebhookCertificate.generate("svc", "ns", NOW);
    assertThat(good.problem()).isNull();

    var badKey =
        new WebhookCertificate(good.caPem(), good.caKeyPem(), good.certPem(), other.keyPem());
    assertThat(badKey.problem()).isEqualTo("tls.key does not belong to tls.crt");
    var foreignCert =
        new WebhookCertificate(good.caPem(), good.caKeyPem(), other.certPem(), other.keyPem());
    assertThat(foreignCert.problem()).startsWith("tls.crt is not signed by ca.crt");
    var badCaKey =
        new WebhookCertificate(good.caPem(), other.caKeyPem(), good.certPem(), good.keyPem());
    assertThat(badCaKey.problem()).isEqualTo("ca.key does not belong to ca.crt");
    var notPem = new WebhookCertificate(good.caPem(), good.caKeyPem(), "garbage", good.keyPem());
    assertThat(notPem.problem()).startsWith("tls.crt is not a PEM certificate");

    // A usable CA is kept (the caBundle stays valid); an unusable one is replaced, kept as the
    // previous CA while its certificate parses.
    assertThat(badKey.reissue("svc", "ns", NOW).caPem()).isEqualTo(good.caPem());
    assertThat(badKey.reissue("svc", "ns", NOW).problem()).isNull();
    WebhookCertificate newCa = badCaKey.reissue("svc", "ns", NOW);
    assertThat(newCa.caPem()).isNotEqualTo(good.caPem());
    assertThat(newCa.previousCaPem()).isEqualTo(good.caPem());
    assertThat(newCa.problem()).isNull();
  }

  @Test
  void printsNoKeys() {
    WebhookCertificate c = WebhookCertificate.generate("svc", "ns", NOW);
    assertThat(c.toString()).doesNotContain("PRIVATE").doesNotContain(c.caKeyPem());
  }
}
