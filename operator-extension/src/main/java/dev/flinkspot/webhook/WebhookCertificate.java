package dev.flinkspot.webhook;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's TLS material as PEM: a private CA (its certificate is the webhook's {@code
 * caBundle}, valid ten years) and a serving certificate for the webhook Service's DNS names, signed
 * by it (valid one year). The controller keeps it in a Secret, so every replica serves the same
 * one, and renews the serving certificate with the same CA: the caBundle does not change, so
 * replicas still serving the previous certificate stay trusted.
 */
public record WebhookCertificate(String caPem, String caKeyPem, String certPem, String keyPem) {

  /** Certificates are renewed when less than this is left. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final X500Name CA_NAME = new X500Name("CN=flinkspot-webhook-ca");

  /** A new CA and serving certificate for {@code service.namespace.svc}. */
  public static WebhookCertificate generate(String service, String namespace, Instant now) {
    try {
      KeyPair caKeys = ecKeys();
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(
                      CA_NAME,
                      serial(),
                      Date.from(now.minus(Duration.ofMinutes(5))),
                      Date.from(now.plus(CA_VALIDITY)),
                      CA_NAME,
                      caKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
              caKeys.getPrivate());
      return new WebhookCertificate(
              pem("CERTIFICATE", ca.getEncoded()),
              pem("PRIVATE KEY", caKeys.getPrivate().getEncoded()),
              null,
              null)
          .renewServing(service, namespace, now);
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the webhook certificate", e);
    }
  }

  /** A new serving certificate signed by this CA (the caBundle stays the same). */
  public WebhookCertificate renewServing(String service, String namespace, Instant now) {
    try {
      PrivateKey caKey = privateKey(caKeyPem);
      X509Certificate ca = certificate(caPem);
      KeyPair keys = ecKeys();
      List<GeneralName> names = new ArrayList<>();
      for (String dns :
          List.of(
              service,
              service + "." + namespace,
              service + "." + namespace + ".svc",
              service + "." + namespace + ".svc.cluster.local",
              "localhost")) {
        names.add(new GeneralName(GeneralName.dNSName, dns));
      }
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      Instant notAfter = now.plus(VALIDITY);
      if (ca.getNotAfter().toInstant().isBefore(notAfter)) {
        notAfter = ca.getNotAfter().toInstant();
      }
      X509Certificate cert =
          sign(
              new JcaX509v3CertificateBuilder(
                      CA_NAME,
                      serial(),
                      Date.from(now.minus(Duration.ofMinutes(5))),
                      Date.from(notAfter),
                      new X500Name("CN=" + service + "." + namespace + ".svc"),
                      keys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                  .addExtension(
                      Extension.extendedKeyUsage,
                      false,
                      new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                  .addExtension(
                      Extension.subjectAlternativeName,
                      false,
                      new GeneralNames(names.toArray(GeneralName[]::new))),
              caKey);
      return new WebhookCertificate(
          caPem,
          caKeyPem,
          pem("CERTIFICATE", cert.getEncoded()),
          pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue the webhook serving certificate", e);
    }
  }

  /** Whether the CA can still sign a serving certificate of full validity. */
  public boolean caFreshAt(Instant now) {
    try {
      return certificate(caPem)
          .getNotAfter()
          .toInstant()
          .isAfter(now.plus(VALIDITY).plus(RENEW_BEFORE));
    } catch (Exception e) {
      return false;
    }
  }

  /** Whether the serving certificate is still valid at {@code now} plus {@link #RENEW_BEFORE}. */
  public boolean freshAt(Instant now) {
    try {
      return certificate(certPem).getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
    } catch (Exception e) {
      return false;
    }
  }

  /** An SSL context serving this certificate. */
  public SSLContext sslContext() throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore(), new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, new SecureRandom());
    return context;
  }

  /** The key and its chain (certificate, CA) as a PKCS#12 store with an empty password. */
  public KeyStore keyStore() throws GeneralSecurityException {
    try {
      PrivateKey key = privateKey(keyPem);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry(
          "webhook",
          key,
          password,
          new java.security.cert.Certificate[] {certificate(certPem), certificate(caPem)});
      return store;
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** A client SSL context that trusts this CA only (what the API server does with caBundle). */
  public SSLContext trustingContext() throws GeneralSecurityException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCertificate());
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** The CA certificate, parsed. */
  public X509Certificate caCertificate() throws GeneralSecurityException {
    return certificate(caPem);
  }

  private static X509Certificate certificate(String pem) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] der(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
