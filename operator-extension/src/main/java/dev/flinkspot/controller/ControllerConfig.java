package dev.flinkspot.controller;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of the controller, typed, in one place (the {@code controller} command's options
 * map onto it one to one). Build it with {@link #builder()}: every setting has the command's
 * default, so a caller names only what it changes.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param ownNamespace where the Lease and the webhook Secret live
 * @param identity this replica's name in the Lease (the pod name)
 * @param leaderElection off only for a single controller run from a laptop
 * @param leaseName name of the coordination.k8s.io Lease
 * @param webhook serve the admission webhook
 * @param webhookPort HTTPS port of the webhook
 * @param webhookService Service name the certificate is issued for
 * @param webhookConfiguration MutatingWebhookConfiguration whose caBundle is kept current
 * @param tlsSecret Secret holding the webhook certificate
 * @param healthPort port of /healthz and /readyz
 * @param metricsPort port of /metrics (Prometheus text format)
 * @param bindAddress the IP address the health, metrics and webhook ports listen on
 * @param workers reconcile threads
 * @param resync full re-list period of the informers
 * @param metricsMaxDeployments deployments that get per-deployment cost and HPA series ({@link
 *     SeriesCap})
 */
public record ControllerConfig(
    List<String> namespaces,
    String ownNamespace,
    String identity,
    boolean leaderElection,
    String leaseName,
    boolean webhook,
    int webhookPort,
    String webhookService,
    String webhookConfiguration,
    String tlsSecret,
    int healthPort,
    int metricsPort,
    String bindAddress,
    int workers,
    Duration resync,
    int metricsMaxDeployments) {

  /** Deployments with per-deployment cost and HPA series by default: about 11 MB of meters. */
  public static final int DEFAULT_METRICS_MAX_DEPLOYMENTS = 2_000;

  /**
   * The highest {@link #metricsMaxDeployments()} accepted: the series of 100,000 deployments take
   * about 570 MB of heap (10 meters of about 570 bytes each per deployment, {@link SeriesCap}).
   */
  public static final int METRICS_MAX_DEPLOYMENTS_LIMIT = 100_000;

  /** The {@code controller} command's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Named settings with the command's defaults. */
  public static final class Builder {
    private List<String> namespaces = List.of();
    private String ownNamespace = "flinkspot-system";
    private String identity = "flinkspot-controller";
    private boolean leaderElection = true;
    private String leaseName = "flinkspot-controller";
    private boolean webhook = true;
    private int webhookPort = 9443;
    private String webhookService = "flinkspot-webhook";
    private String webhookConfiguration = "flinkspot";
    private String tlsSecret = "flinkspot-webhook-tls";
    private int healthPort = 8090;
    private int metricsPort = 8080;
    private String bindAddress = "127.0.0.1";
    private int workers = 2;
    private Duration resync = Duration.ofMinutes(10);
    private int metricsMaxDeployments = DEFAULT_METRICS_MAX_DEPLOYMENTS;

    private Builder() {}

    public Builder namespaces(List<String> value) {
      namespaces = List.copyOf(value);
      return this;
    }

    public Builder ownNamespace(String value) {
      ownNamespace = value;
      return this;
    }

    public Builder identity(String value) {
      identity = value;
      return this;
    }

    public Builder leaderElection(boolean value) {
      leaderElection = value;
      return this;
    }

    public Builder leaseName(String value) {
      leaseName = value;
      return this;
    }

    public Builder webhook(boolean value) {
      webhook = value;
      return this;
    }

    public Builder webhookPort(int value) {
      webhookPort = value;
      return this;
    }

    public Builder webhookService(String value) {
      webhookService = value;
      return this;
    }

    public Builder webhookConfiguration(String value) {
      webhookConfiguration = value;
      return this;
    }

    public Builder tlsSecret(String value) {
      tlsSecret = value;
      return this;
    }

    public Builder healthPort(int value) {
      healthPort = value;
      return this;
    }

    public Builder metricsPort(int value) {
      metricsPort = value;
      return this;
    }

    public Builder bindAddress(String value) {
      bindAddress = value;
      return this;
    }

    public Builder workers(int value) {
      workers = value;
      return this;
    }

    public Builder resync(Duration value) {
      resync = value;
      return this;
    }

    public Builder metricsMaxDeployments(int value) {
      metricsMaxDeployments = value;
      return this;
    }

    public ControllerConfig build() {
      return new ControllerConfig(
          namespaces,
          ownNamespace,
          identity,
          leaderElection,
          leaseName,
          webhook,
          webhookPort,
          webhookService,
          webhookConfiguration,
          tlsSecret,
          healthPort,
          metricsPort,
          bindAddress,
          workers,
          resync,
          metricsMaxDeployments);
    }
  }
}
