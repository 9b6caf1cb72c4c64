package dev.flinkspot.controller;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of the controller, typed, in one place (the {@code controller} command's options
 * map onto it one to one).
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
 * @param workers reconcile threads
 * @param resync full re-list period of the informers
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
    int workers,
    Duration resync) {}
