package dev.flinkspot.cost.workload;

import java.math.BigDecimal;

/** What one Flink pod requests: vCPUs and memory in bytes (Flink's total process memory). */
public record PodShape(BigDecimal cpu, long memoryBytes) {
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  public BigDecimal memoryGiB() {
    return BigDecimal.valueOf(memoryBytes).divide(GIB, java.math.MathContext.DECIMAL64);
  }
}
