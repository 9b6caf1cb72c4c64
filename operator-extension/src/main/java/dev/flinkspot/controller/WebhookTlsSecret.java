package dev.flinkspot.controller;

import dev.flinkspot.kube.EventReason;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.EventTarget;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.webhook.WebhookCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's certificate in a Secret (created by the first replica, read by the others,
 * renewed by whichever replica first sees less than 30 days left, checked every few minutes) and
 * its CA in the MutatingWebhookConfiguration's {@code caBundle}. Chosen over cert-manager so the
 * controller installs with nothing else in the cluster.
 *
 * <p>A Secret whose material cannot be served (not base64, not PEM, a key that does not belong to
 * its certificate) is re-issued, with a {@code WebhookCertificateReissued} Event on the Secret,
 * instead of failing the start. After a CA rollover the caBundle holds the new and the previous CA
 * until the overlap ends ({@link WebhookCertificate#caBundlePem}).
 *
 * <p>Long because the Secret and the caBundle are one protocol: the order of their reads and writes
 * ({@link #sync}) is what keeps a stale replica from publishing an old CA, so both stay in one
 * place.
 */
public final class WebhookTlsSecret {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookTlsSecret.class);

  /** The previous CA after a rollover, next to the kubernetes.io/tls keys. */
  static final String PREVIOUS_CA = "ca.previous.crt";

  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final String serviceName;
  private final EventRecorder events;

  public WebhookTlsSecret(
      KubernetesClient client,
      String namespace,
      String secretName,
      String serviceName,
      EventRecorder events) {
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.serviceName = serviceName;
    this.events = events;
  }

  /** The certificate every replica serves: the Secret's, or a new one stored there. */
  public WebhookCertificate ensure(Instant now) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      Stored stored = secret == null ? null : read(secret);
      String problem = stored == null ? null : stored.problem();
      WebhookCertificate desired;
      if (stored == null) {
        desired = WebhookCertificate.generate(serviceName, namespace, now);
      } else if (problem != null) {
        desired = stored.certificate().reissue(serviceName, namespace, now);
      } else {
        desired = stored.certificate().next(serviceName, namespace, now);
        if (desired.equals(stored.certificate())) {
          return desired;
        }
      }
      try {
        write(secret, desired);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        continue; // Another replica wrote it first: use theirs.
      }
      if (problem != null) {
        reportReissued(secret, problem, desired, stored.certificate());
      } else {
        LOG.info("issued a new webhook certificate in Secret {}/{}", namespace, secretName);
      }
      return desired;
    }
    throw new IllegalStateException("could not agree on the webhook certificate in " + secretName);
  }

  /**
   * Makes sure of the certificate ({@link #ensure}) and writes its caBundle into every webhook of
   * the configuration whose caBundle differs, as one JSON Patch that tests the values read (RFC
   * 6902 section 4.6). The configuration is read before the Secret: a replica that rolled the CA
   * over wrote the Secret before its caBundle, so a caBundle read here is never newer than the
   * Secret read after it, and a caBundle written meanwhile fails the test (a lost race: read both
   * again and decide again). A stale replica thus never puts an older CA back.
   *
   * @return the certificate to serve (published, unless the configuration is missing or refused the
   *     write, which is logged)
   */
  public WebhookCertificate sync(String configurationName, Instant now) {
    var configurations = client.admissionRegistration().v1().mutatingWebhookConfigurations();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      MutatingWebhookConfiguration config;
      try {
        config = configurations.withName(configurationName).get();
      } catch (KubernetesClientException e) {
        LOG.warn("could not publish the webhook CA: {}", e.getMessage());
        return ensure(now);
      }
      WebhookCertificate certificate = ensure(now);
      if (config == null) {
        LOG.warn(
            "MutatingWebhookConfiguration {} not found: the webhook is not called (apply k8s/base)",
            configurationName);
        return certificate;
      }
      String patch = caBundlePatch(config, b64(certificate.caBundlePem(now)));
      if (patch == null) {
        return certificate;
      }
      try {
        configurations.withName(configurationName).patch(PatchContext.of(PatchType.JSON), patch);
        LOG.info("published the webhook CA to {}", configurationName);
        return certificate;
      } catch (KubernetesClientException e) {
        if (!Writer.lostRace(e, false, true)) {
          LOG.warn("could not publish the webhook CA: {}", e.getMessage());
          return certificate;
        }
        LOG.debug("caBundle of {} changed meanwhile: reading again", configurationName);
      }
    }
    LOG.warn("could not publish the webhook CA: {} kept changing", configurationName);
    return ensure(now);
  }

  /**
   * The JSON Patch that sets {@code bundle} (base64) as the caBundle of every webhook in {@code
   * observed} whose caBundle differs, or null when none does. Each change is preceded by a {@code
   * test} of the webhook's name and of the caBundle read; JSON Patch cannot test that a value is
   * absent, so where there was none the resourceVersion is tested instead.
   */
  static String caBundlePatch(MutatingWebhookConfiguration observed, String bundle) {
    List<Map<String, Object>> ops = new ArrayList<>();
    List<MutatingWebhook> hooks = observed.getWebhooks();
    boolean testVersion = false;
    for (int i = 0; i < hooks.size(); i++) {
      String current = hooks.get(i).getClientConfig().getCaBundle();
      if (bundle.equals(current)) {
        continue;
      }
      String path = "/webhooks/" + i;
      ops.add(op("test", path + "/name", hooks.get(i).getName()));
      if (current == null || current.isEmpty()) {
        testVersion = true;
      } else {
        ops.add(op("test", path + "/clientConfig/caBundle", current));
      }
      ops.add(op("add", path + "/clientConfig/caBundle", bundle));
    }
    if (ops.isEmpty()) {
      return null;
    }
    if (testVersion) {
      ops.add(
          0, op("test", "/metadata/resourceVersion", observed.getMetadata().getResourceVersion()));
    }
    return dev.flinkspot.common.Json.MAPPER.valueToTree(ops).toString();
  }

  private static Map<String, Object> op(String op, String path, String value) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("op", op);
    map.put("path", path);
    map.put("value", value);
    return map;
  }

  private void write(Secret observed, WebhookCertificate fresh) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("ca.crt", b64(fresh.caPem()));
    data.put("ca.key", b64(fresh.caKeyPem()));
    data.put("tls.crt", b64(fresh.certPem()));
    data.put("tls.key", b64(fresh.keyPem()));
    if (fresh.previousCaPem() != null) {
      data.put(PREVIOUS_CA, b64(fresh.previousCaPem()));
    }
    Secret desired =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/name", "flinkspot")
            .withResourceVersion(
                observed == null ? null : observed.getMetadata().getResourceVersion())
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(data)
            .build();
    if (observed == null) {
      client.secrets().inNamespace(namespace).resource(desired).create();
    } else {
      client.secrets().inNamespace(namespace).resource(desired).update();
    }
  }

  private void reportReissued(
      Secret secret, String problem, WebhookCertificate issued, WebhookCertificate unusable) {
    boolean sameCa = issued.caPem().equals(unusable.caPem());
    String message =
        "Secret "
            + namespace
            + "/"
            + secretName
            + " held an unusable webhook certificate: "
            + problem
            + ". Issued a new one"
            + (sameCa
                ? " from the same CA (the caBundle is unchanged)."
                : " with a new CA; the caBundle holds it next to the old CA while replicas"
                    + " reload.");
    LOG.warn(message);
    events.record(
        new EventTarget("v1", "Secret", namespace, secretName, secret.getMetadata().getUid()),
        EventReason.WebhookCertificateReissued,
        message);
  }

  /** The Secret's material, and why it cannot be served (null when it can). */
  private record Stored(WebhookCertificate certificate, String undecodable) {
    String problem() {
      return undecodable != null ? undecodable : certificate.problem();
    }
  }

  private static Stored read(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    List<String> undecodable = new ArrayList<>();
    String[] pems = new String[5];
    String[] keys = {"ca.crt", "ca.key", "tls.crt", "tls.key", PREVIOUS_CA};
    for (int i = 0; i < keys.length; i++) {
      String value = data.get(keys[i]);
      if (value == null) {
        if (i < 4) {
          undecodable.add(keys[i] + " is missing");
        }
        continue;
      }
      try {
        pems[i] = unb64(value);
      } catch (IllegalArgumentException e) {
        undecodable.add(keys[i] + " is not base64");
      }
    }
    return new Stored(
        new WebhookCertificate(pems[0], pems[1], pems[2], pems[3], pems[4]),
        undecodable.isEmpty() ? null : String.join(", ", undecodable));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String unb64(String text) {
    return new String(Base64.getDecoder().decode(text), StandardCharsets.US_ASCII);
  }
}
