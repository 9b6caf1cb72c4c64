package dev.flinkspot.cost.nodes;

import dev.flinkspot.cost.catalog.InstanceTypeSpec;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What a node leaves for pods, computed as the EKS-optimized AMIs reserve it: kube-reserved CPU (6%
 * of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest), kube-reserved
 * memory (255 MiB + 11 MiB per pod the node may run), a 100 MiB hard eviction threshold, and the
 * requests of the default DaemonSets (aws-node 25m, kube-proxy 100m CPU; no memory requests).
 */
public record NodeAllocatable(BigDecimal cpu, BigDecimal memoryGiB, int podSlots) {
  static final BigDecimal DAEMONSET_CPU = new BigDecimal("0.125");
  static final int DAEMONSET_PODS = 2;
  private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);

  public static NodeAllocatable of(InstanceTypeSpec spec) {
    BigDecimal reservedCpu = kubeReservedCpu(spec.vcpu()).add(DAEMONSET_CPU);
    BigDecimal reservedMemoryMib = BigDecimal.valueOf(255L + 11L * spec.maxPods() + 100L);
    BigDecimal memoryGiB =
        spec.memoryGiB().subtract(reservedMemoryMib.divide(MIB_PER_GIB, MathContext.DECIMAL64));
    return new NodeAllocatable(
        BigDecimal.valueOf(spec.vcpu()).subtract(reservedCpu),
        memoryGiB,
        spec.maxPods() - DAEMONSET_PODS);
  }

  static BigDecimal kubeReservedCpu(int cores) {
    BigDecimal reserved = BigDecimal.ZERO;
    for (int core = 1; core <= cores; core++) {
      reserved =
          reserved.add(
              switch (core) {
                case 1 -> new BigDecimal("0.06");
                case 2 -> new BigDecimal("0.01");
                case 3, 4 -> new BigDecimal("0.005");
                default -> new BigDecimal("0.0025");
              });
    }
    return reserved;
  }

  /** How many pods of the given shape fit; 0 when one does not fit at all. */
  public int podsThatFit(BigDecimal podCpu, BigDecimal podMemoryGiB) {
    int byCpu = cpu.divide(podCpu, MathContext.DECIMAL64).intValue();
    int byMemory = memoryGiB.divide(podMemoryGiB, MathContext.DECIMAL64).intValue();
    return Math.max(0, Math.min(podSlots, Math.min(byCpu, byMemory)));
  }

  /** The share of this node a pod takes: its larger fraction of allocatable CPU or memory. */
  public BigDecimal shareOf(BigDecimal podCpu, BigDecimal podMemoryGiB) {
    BigDecimal cpuShare = podCpu.divide(cpu, MathContext.DECIMAL64);
    BigDecimal memoryShare = podMemoryGiB.divide(memoryGiB, MathContext.DECIMAL64);
    return cpuShare.max(memoryShare);
  }
}
