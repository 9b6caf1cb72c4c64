package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ControllerManagerScenario} on kube-apiserver + etcd + kube-controller-manager built from
 * upstream (tools/kube); node-lifecycle off, HPA sync every 2 s.
 */
class ControllerManagerIT extends ControllerManagerScenario {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            installCrds(kube);
            kube.startControllerManager();
          });

  ControllerManagerIT() {
    super(KUBE);
  }
}
