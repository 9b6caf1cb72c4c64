package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.K3sCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link ScaleSubresourceScenario} on k3s, where a Docker engine exists (skipped without one). */
@Testcontainers(disabledWithoutDocker = true)
class ScaleSubresourceK3sIT extends ScaleSubresourceScenario {

  @Container static final K3sCluster K3S = new K3sCluster();

  ScaleSubresourceK3sIT() {
    super(K3S);
  }
}
