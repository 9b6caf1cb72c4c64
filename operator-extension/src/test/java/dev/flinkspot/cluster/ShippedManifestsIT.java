package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ShippedManifestsScenario} on kube-apiserver + etcd built from upstream (tools/kube). */
class ShippedManifestsIT extends ShippedManifestsScenario {

  @RegisterExtension static final KubeControlPlaneExtension KUBE = new KubeControlPlaneExtension();

  ShippedManifestsIT() {
    super(KUBE);
  }
}
