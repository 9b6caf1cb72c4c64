package dev.flinkspot.cli;

import dev.flinkspot.controller.ControllerConfig;
import dev.flinkspot.webhook.WebhookServer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's first log lines, so that a log read later says what ran, against which API
 * server, listening where, with which switches, on prices of which date. Pure: the command gathers
 * the facts.
 *
 * @param version "flinkspot X (commit Y)"
 * @param apiServer the API server's URL
 * @param kubernetesVersion its git version (v1.33.1)
 * @param config the controller's settings
 * @param costReportInterval how often an unchanged report advances; null when reports are off
 * @param pricesAsOf the oldest date of the region's figures; null when reports are off
 * @param pricesFile the {@code --prices} file; null for the built-in catalog alone
 * @param costRegion the region of nodes without a region label
 * @param logLevel flinkspot's effective log level
 * @param logFormat json or text
 */
record StartupBanner(
    String version,
    String apiServer,
    String kubernetesVersion,
    ControllerConfig config,
    Duration costReportInterval,
    LocalDate pricesAsOf,
    String pricesFile,
    String costRegion,
    String logLevel,
    String logFormat) {

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(
        version
            + " controller starting as "
            + config.identity()
            + ", API server "
            + apiServer
            + " (Kubernetes "
            + kubernetesVersion
            + "), watching "
            + (config.namespaces().isEmpty()
                ? "all namespaces"
                : "namespaces " + String.join(", ", config.namespaces())));
    String address = config.bindAddress();
    lines.add(
        "listening on "
            + address
            + (ControllerCommand.LOOPBACK.equals(address)
                ? " (this host only: not in a pod; --bind-address to change)"
                : "")
            + ": /healthz and /readyz on port "
            + config.healthPort()
            + ", /metrics on port "
            + config.metricsPort()
            + (config.webhook()
                ? ", the webhook (" + WebhookServer.PATH + ") on port " + config.webhookPort()
                : ""));
    lines.add(
        config.webhook()
            ? "webhook: on; its CA is kept in MutatingWebhookConfiguration "
                + config.webhookConfiguration()
                + ", its certificate in Secret "
                + config.ownNamespace()
                + "/"
                + config.tlsSecret()
            : "webhook: off (--no-webhook): nothing is placed, warned or refused at admission;"
                + " the reconciler writes placement and defaults after a deployment is stored");
    lines.add(
        config.leaderElection()
            ? "leader election: on, Lease " + config.ownNamespace() + "/" + config.leaseName()
            : "leader election: off (--no-leader-election): this process writes alone; run no"
                + " second controller against this cluster");
    lines.add(
        costReportInterval == null
            ? "cost reports: off (--no-cost-reports)"
            : "cost reports: on, advanced every "
                + DurationConverter.shown(costReportInterval)
                + "; prices as of "
                + (pricesAsOf == null ? "unknown" : pricesAsOf)
                + " ("
                + (pricesFile == null ? "built-in catalog" : "built-in catalog and " + pricesFile)
                + "), region "
                + costRegion
                + " for nodes without a region label");
    lines.add(
        "log level "
            + logLevel
            + " (FLINKSPOT_LOG_LEVEL), format "
            + logFormat
            + "; one line per write, as: patched FlinkDeployment <ns>/<name>: <why>");
    return lines;
  }
}
