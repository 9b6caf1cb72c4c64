package dev.flinkspot.controller;

import dev.flinkspot.policy.PolicyLookup;
import dev.flinkspot.webhook.AdmissionHandler;
import dev.flinkspot.webhook.WebhookCertificate;
import dev.flinkspot.webhook.WebhookServer;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Our placement webhook served in the test process on 127.0.0.1, registered with a real API server
 * by a MutatingWebhookConfiguration with a {@code url:} (our CA as caBundle) for FlinkDeployment
 * CREATE/UPDATE in the given namespaces. The API server takes the configuration up asynchronously:
 * callers retry their first create until it is placed. {@link #close} removes the configuration and
 * stops the server.
 */
public final class InProcessWebhook implements AutoCloseable {

  private final KubernetesClient client;
  private final WebhookServer server;
  private final String name;

  private InProcessWebhook(KubernetesClient client, WebhookServer server, String name) {
    this.client = client;
    this.server = server;
    this.name = name;
  }

  /**
   * Serves the webhook with {@code policies} and registers it as {@code name}; {@code
   * failurePolicy} as in the configuration ({@code Fail} makes a missed call visible).
   */
  public static InProcessWebhook start(
      KubernetesClient client,
      String name,
      PolicyLookup policies,
      String failurePolicy,
      String... namespaces)
      throws Exception {
    var certificate =
        WebhookCertificate.generate("flinkspot-webhook", "flinkspot-system", Instant.now());
    WebhookServer server =
        WebhookServer.start(
            "127.0.0.1", 0, certificate, new AdmissionHandler(policies), 2, t -> {});
    try {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .resource(configuration(name, server.port(), certificate, failurePolicy, namespaces))
          .create();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new InProcessWebhook(client, server, name);
  }

  private static MutatingWebhookConfiguration configuration(
      String name,
      int port,
      WebhookCertificate certificate,
      String failurePolicy,
      String... namespaces) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addNewWebhook()
        .withName("placement.flinkspot.dev")
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy(failurePolicy)
        .withTimeoutSeconds(5)
        .withNewClientConfig()
        .withUrl("https://127.0.0.1:" + port + WebhookServer.PATH)
        .withCaBundle(
            Base64.getEncoder()
                .encodeToString(certificate.caPem().getBytes(StandardCharsets.US_ASCII)))
        .endClientConfig()
        .withNewNamespaceSelector()
        .addNewMatchExpression()
        .withKey("kubernetes.io/metadata.name")
        .withOperator("In")
        .withValues(namespaces)
        .endMatchExpression()
        .endNamespaceSelector()
        .addNewRule()
        .withApiGroups("flink.apache.org")
        .withApiVersions("v1beta1")
        .withOperations("CREATE", "UPDATE")
        .withResources("flinkdeployments")
        .endRule()
        .endWebhook()
        .build();
  }

  @Override
  public void close() {
    try {
      client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).delete();
    } finally {
      server.close();
    }
  }
}
