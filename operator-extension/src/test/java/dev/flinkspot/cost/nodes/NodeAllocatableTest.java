package dev.flinkspot.cost.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.CatalogLoader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** EKS-optimized AMI reservations, as the kubelet applies them. */
class NodeAllocatableTest {

  @Test
  void m5XlargeLeavesWhatTheEksAmiLeaves() {
    NodeAllocatable node = NodeAllocatable.of(CatalogLoader.builtIn().instanceType("m5.xlarge"));

    // 4 − (0.06 + 0.01 + 0.005 + 0.005) kube-reserved − 0.125 DaemonSets
    assertThat(node.cpu()).isEqualByComparingTo("3.795");
    // 16 GiB − (255 MiB + 11 MiB × 58 pods + 100 MiB eviction) = 16 GiB − 993 MiB
    assertThat(node.memoryGiB()).isEqualByComparingTo("15.0302734375");
    assertThat(node.podSlots()).isEqualTo(56);
  }

  @Test
  void kubeReservedCpuFollowsTheTieredFormula() {
    assertThat(NodeAllocatable.kubeReservedCpu(1)).isEqualByComparingTo("0.06");
    assertThat(NodeAllocatable.kubeReservedCpu(2)).isEqualByComparingTo("0.07");
    assertThat(NodeAllocatable.kubeReservedCpu(8)).isEqualByComparingTo("0.09"); // + 4 × 0.0025
  }

  @Test
  void podsThatFitIsLimitedByTheScarcerResource() {
    NodeAllocatable node = NodeAllocatable.of(CatalogLoader.builtIn().instanceType("m5.xlarge"));

    assertThat(node.podsThatFit(new BigDecimal("1.75"), new BigDecimal("7"))).isEqualTo(2);
    assertThat(node.podsThatFit(new BigDecimal("2"), new BigDecimal("8"))).isEqualTo(1);
    assertThat(node.podsThatFit(new BigDecimal("0.5"), new BigDecimal("8"))).isEqualTo(1);
    assertThat(node.podsThatFit(new BigDecimal("4"), new BigDecimal("1"))).isZero();
  }
}
