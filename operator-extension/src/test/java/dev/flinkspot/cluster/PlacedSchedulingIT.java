package dev.flinkspot.cluster;

import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PlacedSchedulingScenario} on kube-apiserver + etcd, kube-scheduler and
 * kube-controller-manager built from upstream (tools/kube); the API server calls our webhook.
 */
class PlacedSchedulingIT extends PlacedSchedulingScenario {

  // The garbage collector discovers resource types at start: CRDs before the controller-manager.
  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> b.withScheduler(),
          kube -> {
            FlinkCrds.install(kube.client());
            kube.startControllerManager();
          });

  PlacedSchedulingIT() {
    super(KUBE, Placer.WEBHOOK);
  }
}
