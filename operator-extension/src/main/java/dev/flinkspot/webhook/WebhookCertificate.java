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
import java.security.Signature;
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
 *
 * <p>When the CA itself is renewed (it can no longer sign a full year), the previous CA is kept as
 * {@code previousCaPem} and stays in the {@link #caBundlePem caBundle} next to the new one for
 * {@link #CA_OVERLAP} (or until it expires, if sooner): replicas that still serve a certificate
 * signed by it (each re-reads the Secret every few minutes) stay trusted meanwhile.
 *
 * @param previousCaPem the CA this one replaced, or null
 */
public record WebhookCertificate(
    String caPem, String caKeyPem, String certPem, String keyPem, String previousCaPem) {

  /** Certificates are renewed when less than this is left. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);

  /**
   * How long a replaced CA stays in the caBundle after the rollover: the serving certificate it
   * signed had at most {@link #RENEW_BEFORE} left when the rollover happened.
   */
  public static final Duration CA_OVERLAP = RENEW_BEFORE;

  /** Certificates start this long before they are issued (clock skew between nodes). */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final X500Name CA_NAME = new X500Name("CN=flinkspot-webhook-ca");

  /** Material without a previous CA. */
  public WebhookCertificate(String caPem, String caKeyPem, String certPem, String keyPem) {
    this(caPem, caKeyPem, certPem, keyPem, null);
  }

  /** A new CA and serving certificate for {@code service.namespace.svc}. */
  public static WebhookCertificate generate(String service, String namespace, Instant now) {
    try {
      KeyPair caKeys = ecKeys();
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(
                      CA_NAME,
                      serial(),
                      Date.from(now.minus(BACKDATE)),
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
                      Date.from(now.minus(BACKDATE)),
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
          pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
          previousCaPem);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue the webhook serving certificate", e);
    }
  }

  /**
   * What to serve and store at {@code now}: this, when it lasts; a serving certificate from the
   * same CA when only the serving one nears expiry; a new CA (this one kept as the previous) when
   * the CA cannot sign a full year any more. A previous CA past its overlap is dropped.
   */
  public WebhookCertificate next(String service, String namespace, Instant now) {
    if (!freshAt(now)) {
      return caFreshAt(now)
          ? withoutEndedOverlap(now).renewServing(service, namespace, now)
          : rollOver(service, namespace, now);
    }
    return withoutEndedOverlap(now);
  }

  /**
   * A replacement for material that {@link #problem()} refuses: a serving certificate from the same
   * CA when the CA is usable (the caBundle stays valid), otherwise a new CA, with this CA kept as
   * the previous one when its certificate still parses (replicas may still serve a certificate
   * signed by it).
   */
  public WebhookCertificate reissue(String service, String namespace, Instant now) {
    if (caProblem() == null && caFreshAt(now)) {
      return new WebhookCertificate(caPem, caKeyPem, null, null, previousCaPem)
          .withoutEndedOverlap(now)
          .renewServing(service, namespace, now);
    }
    return rollOver(service, namespace, now);
  }

  private WebhookCertificate rollOver(String service, String namespace, Instant now) {
    WebhookCertificate fresh = generate(service, namespace, now);
    String previous = parses(caPem) ? caPem : null;
    return new WebhookCertificate(
        fresh.caPem, fresh.caKeyPem, fresh.certPem, fresh.keyPem, previous);
  }

  private WebhookCertificate withoutEndedOverlap(Instant now) {
    if (previousCaPem == null || previousCaUntil().isAfter(now)) {
      return this;
    }
    return new WebhookCertificate(caPem, caKeyPem, certPem, keyPem, null);
  }

  /**
   * Until when the previous CA stays in the caBundle: {@link #CA_OVERLAP} after this CA was issued,
   * or the previous CA's own expiry if sooner; {@link Instant#MIN} without a usable previous CA.
   */
  public Instant previousCaUntil() {
    try {
      if (previousCaPem == null) {
        return Instant.MIN;
      }
      Instant overlapEnd =
          certificate(caPem).getNotBefore().toInstant().plus(BACKDATE).plus(CA_OVERLAP);
      Instant expiry = certificate(previousCaPem).getNotAfter().toInstant();
      return expiry.isBefore(overlapEnd) ? expiry : overlapEnd;
    } catch (GeneralSecurityException | RuntimeException e) {
      return Instant.MIN;
    }
  }

  /**
   * The PEM the webhook configuration's caBundle holds at {@code now}: this CA, then the previous
   * one while its overlap lasts.
   */
  public String caBundlePem(Instant now) {
    if (!previousCaUntil().isAfter(now)) {
      return caPem;
    }
    return caPem.endsWith("\n") ? caPem + previousCaPem : caPem + "\n" + previousCaPem;
  }

  /**
   * Why this material cannot be served, naming the Secret key at fault, or null when it can: every
   * PEM parses, each key belongs to its certificate, and the CA signed the serving certificate.
   */
  public String problem() {
    String ca = caProblem();
    if (ca != null) {
      return ca;
    }
    try {
      certificate(certPem);
    } catch (GeneralSecurityException | RuntimeException e) {
      return "tls.crt is not a PEM certificate (" + e.getMessage() + ")";
    }
    try {
      privateKey(keyPem);
    } catch (GeneralSecurityException | RuntimeException e) {
      return "tls.key is not a PEM EC private key (" + e.getMessage() + ")";
    }
    try {
      X509Certificate cert = certificate(certPem);
      cert.verify(certificate(caPem).getPublicKey());
      if (!keyMatches(privateKey(keyPem), cert)) {
        return "tls.key does not belong to tls.crt";
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return "tls.crt is not signed by ca.crt (" + e.getMessage() + ")";
    }
    return null;
  }

  /** Why the CA cannot sign, or null when its certificate and key parse and belong together. */
  private String caProblem() {
    X509Certificate ca;
    try {
      ca = certificate(caPem);
    } catch (GeneralSecurityException | RuntimeException e) {
      return "ca.crt is not a PEM certificate (" + e.getMessage() + ")";
    }
    try {
      return keyMatches(privateKey(caKeyPem), ca) ? null : "ca.key does not belong to ca.crt";
    } catch (GeneralSecurityException | RuntimeException e) {
      return "ca.key is not a PEM EC private key (" + e.getMessage() + ")";
    }
  }

  private static boolean keyMatches(PrivateKey key, X509Certificate cert)
      throws GeneralSecurityException {
    byte[] probe = "flinkspot".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature);
  }

  private static boolean parses(String pem) {
    try {
      certificate(pem);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Names the certificates, never the keys (records print every component otherwise). */
  @Override
  public String toString() {
    return "WebhookCertificate[serving certificate, CA"
        + (previousCaPem == null ? "" : ", previous CA")
        + "]";
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
