package dev.flinkspot.testing.kube;

import dev.flinkspot.controller.ControllerConfig;

/**
 * The controller settings tests and benchmarks run with: ephemeral ports, replica "test-replica".
 */
public final class TestControllerConfig {

  private TestControllerConfig() {}

  /** The command's defaults with ephemeral ports; callers change what they need and build. */
  public static ControllerConfig.Builder of(boolean leaderElection, boolean webhook) {
    return ControllerConfig.builder()
        .ownNamespace("flinkspot-system")
        .identity("test-replica")
        .leaderElection(leaderElection)
        .webhook(webhook)
        .webhookPort(0)
        .healthPort(0)
        .metricsPort(0)
        .workers(2);
  }
}
