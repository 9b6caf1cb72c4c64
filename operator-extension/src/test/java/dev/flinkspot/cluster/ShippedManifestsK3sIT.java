package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.K3sCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link ShippedManifestsScenario} on k3s, where a Docker engine exists (skipped without one). */
@Testcontainers(disabledWithoutDocker = true)
class ShippedManifestsK3sIT extends ShippedManifestsScenario {

  @Container static final K3sCluster K3S = new K3sCluster();

  ShippedManifestsK3sIT() {
    super(K3S);
  }
}
