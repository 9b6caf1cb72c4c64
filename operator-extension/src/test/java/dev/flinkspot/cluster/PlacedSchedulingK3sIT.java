package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.K3sCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link PlacedSchedulingScenario} on k3s, where a Docker engine exists (skipped without one). The
 * API server in the container cannot call a webhook on the test host's 127.0.0.1, so the reconciler
 * places the FlinkDeployment after creation (the path for a missed webhook call). k3s runs its
 * node-lifecycle controller: the scenario renews the test Nodes' Leases ({@code
 * TestNodes.renewLeases}) so they stay Ready. Never run here (no Docker engine).
 */
@Testcontainers(disabledWithoutDocker = true)
class PlacedSchedulingK3sIT extends PlacedSchedulingScenario {

  @Container static final K3sCluster K3S = new K3sCluster();

  PlacedSchedulingK3sIT() {
    super(K3S, Placer.RECONCILER);
  }
}
