package dev.flinkspot.cost.live;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a deployment costs per hour right now, on both sides, and what could not be priced.
 *
 * @param selfManagedUsdPerHour the pods' share of their nodes (shared-cluster view), plus the
 *     control-plane share; partial when {@code missing} is not empty
 * @param managedUsdPerHour what MSF would bill per hour for the same parallelism
 * @param taskManagers bound TaskManager pods
 * @param spotTaskManagers of which on Spot nodes
 * @param missing the figures or labels that were missing, each naming the node and the fix
 * @param emrOnEksUsdPerHour the same pods on EMR on EKS (self-managed plus EMR's uplift on their
 *     requested vCPU and memory), or null when the catalog has no EMR on EKS prices
 * @param spareUsdPerHour the warm-spare placeholders' share of their nodes, part of {@code
 *     selfManagedUsdPerHour}: capacity held for a replacement TaskManager costs what it occupies
 */
public record RunRate(
    BigDecimal selfManagedUsdPerHour,
    BigDecimal managedUsdPerHour,
    int parallelism,
    int taskManagers,
    int spotTaskManagers,
    List<String> missing,
    BigDecimal emrOnEksUsdPerHour,
    BigDecimal spareUsdPerHour) {

  public RunRate {
    missing = List.copyOf(missing);
  }

  /** A run-rate without an EMR on EKS figure or spares. */
  public RunRate(
      BigDecimal selfManagedUsdPerHour,
      BigDecimal managedUsdPerHour,
      int parallelism,
      int taskManagers,
      int spotTaskManagers,
      List<String> missing) {
    this(
        selfManagedUsdPerHour,
        managedUsdPerHour,
        parallelism,
        taskManagers,
        spotTaskManagers,
        missing,
        null,
        BigDecimal.ZERO);
  }

  /** The fraction of TaskManagers on Spot, 0 when there are none. */
  public BigDecimal spotShare() {
    return taskManagers == 0
        ? BigDecimal.ZERO
        : BigDecimal.valueOf(spotTaskManagers)
            .divide(BigDecimal.valueOf(taskManagers), 4, java.math.RoundingMode.HALF_EVEN);
  }
}
