package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.K3sCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link ControllerManagerScenario} on k3s (its own garbage collector and HPA controller, HPA sync
 * 15 s), where a Docker engine exists (skipped without one).
 */
@Testcontainers(disabledWithoutDocker = true)
class ControllerManagerK3sIT extends ControllerManagerScenario {

  @Container static final K3sCluster K3S = new K3sCluster();

  ControllerManagerK3sIT() {
    super(K3S);
  }
}
