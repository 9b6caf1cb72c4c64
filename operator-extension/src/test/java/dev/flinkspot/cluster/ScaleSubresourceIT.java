package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ScaleSubresourceScenario} on kube-apiserver + etcd built from upstream (tools/kube). */
class ScaleSubresourceIT extends ScaleSubresourceScenario {

  @RegisterExtension static final KubeControlPlaneExtension KUBE = new KubeControlPlaneExtension();

  ScaleSubresourceIT() {
    super(KUBE);
  }
}
