package dev.flinkspot.controller;

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
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's certificate in a Secret (created by the first replica, read by the others,
 * renewed by whichever replica first sees less than 30 days left, checked every few minutes) and
 * its CA in the MutatingWebhookConfiguration's {@code caBundle}. Chosen over cert-manager so the
 * controller installs with nothing else in the cluster.
 */
public final class WebhookTlsSecret {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookTlsSecret.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final String serviceName;

  public WebhookTlsSecret(
      KubernetesClient client, String namespace, String secretName, String serviceName) {
    this.client = client;
    this.namespace = namespace;
    this.secretName = secretName;
    this.serviceName = serviceName;
  }

  /** The certificate every replica serves: the Secret's, or a new one stored there. */
  public WebhookCertificate ensure(Instant now) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      WebhookCertificate existing = secret == null ? null : read(secret);
      if (existing != null && existing.freshAt(now)) {
        return existing;
      }
      // Same CA when it lasts: the caBundle stays valid for replicas still serving the old cert.
      WebhookCertificate fresh =
          existing != null && existing.caFreshAt(now)
              ? existing.renewServing(serviceName, namespace, now)
              : WebhookCertificate.generate(serviceName, namespace, now);
      Secret desired =
          new SecretBuilder()
              .withNewMetadata()
              .withName(secretName)
              .withNamespace(namespace)
              .addToLabels("app.kubernetes.io/name", "flinkspot")
              .withResourceVersion(
                  secret == null ? null : secret.getMetadata().getResourceVersion())
              .endMetadata()
              .withType("kubernetes.io/tls")
              .withData(
                  Map.of(
                      "ca.crt", b64(fresh.caPem()),
                      "ca.key", b64(fresh.caKeyPem()),
                      "tls.crt", b64(fresh.certPem()),
                      "tls.key", b64(fresh.keyPem())))
              .build();
      try {
        if (secret == null) {
          client.secrets().inNamespace(namespace).resource(desired).create();
        } else {
          client.secrets().inNamespace(namespace).resource(desired).update();
        }
        LOG.info("issued a new webhook certificate in Secret {}/{}", namespace, secretName);
        return fresh;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Another replica wrote it first: use theirs.
      }
    }
    throw new IllegalStateException("could not agree on the webhook certificate in " + secretName);
  }

  /**
   * Writes the CA into every webhook of the configuration whose caBundle differs.
   *
   * @return how many webhooks were updated
   */
  public int publishCaBundle(String configurationName, WebhookCertificate certificate) {
    MutatingWebhookConfiguration config =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(configurationName)
            .get();
    if (config == null) {
      LOG.warn(
          "MutatingWebhookConfiguration {} not found: the webhook is not called (apply k8s/base)",
          configurationName);
      return 0;
    }
    String bundle = b64(certificate.caPem());
    List<Map<String, Object>> ops = new ArrayList<>();
    List<MutatingWebhook> hooks = config.getWebhooks();
    for (int i = 0; i < hooks.size(); i++) {
      if (!bundle.equals(hooks.get(i).getClientConfig().getCaBundle())) {
        ops.add(
            Map.of(
                "op", "add", "path", "/webhooks/" + i + "/clientConfig/caBundle", "value", bundle));
      }
    }
    if (!ops.isEmpty()) {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(configurationName)
          .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
      LOG.info("published the webhook CA to {} webhook(s) of {}", ops.size(), configurationName);
    }
    return ops.size();
  }

  private static WebhookCertificate read(Secret secret) {
    Map<String, String> data = secret.getData();
    if (data == null
        || !data.containsKey("ca.crt")
        || !data.containsKey("ca.key")
        || !data.containsKey("tls.crt")
        || !data.containsKey("tls.key")) {
      return null;
    }
    return new WebhookCertificate(
        unb64(data.get("ca.crt")),
        unb64(data.get("ca.key")),
        unb64(data.get("tls.crt")),
        unb64(data.get("tls.key")));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String unb64(String text) {
    return new String(Base64.getDecoder().decode(text), StandardCharsets.US_ASCII);
  }
}
