package dev.flinkspot.cost.live;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.ManagedFlinkBill;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.live.ObservedPod.Component;
import dev.flinkspot.cost.nodes.CapacityType;
import dev.flinkspot.cost.nodes.NodeAllocatable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prices what is actually running: each bound pod's share of its node (the larger of its CPU and
 * memory share of the node's allocatable), at the node's own instance type and capacity type, plus
 * the job's share of the cluster's fixed cost (the EKS control plane); and MSF's hourly KPU bill
 * for the same parallelism. Warm-spare placeholders are priced the same way, on the node they hold,
 * and told apart ({@link RunRate#spareUsdPerHour}); they add no TaskManager, no parallelism and no
 * EMR on EKS uplift (they are not EMR job pods). Pure: the controller observes pods and nodes, this
 * only computes.
 */
public final class LiveCost {
  private static final MathContext MC = MathContext.DECIMAL64;
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  private LiveCost() {}

  /** The run-rate with the cluster's fixed cost shared by {@code options.clusterJobs()} jobs. */
  public static RunRate runRate(
      List<ObservedPod> pods,
      List<ObservedNode> nodes,
      int parallelism,
      CostOptions options,
      RegionPriceView prices) {
    return runRate(pods, nodes, parallelism, options.clusterJobs(), options, prices);
  }

  /**
   * @param sharedBy how many deployments share the cluster's fixed cost equally, this one included;
   *     0 when this one carries none of it (it does not run)
   */
  public static RunRate runRate(
      List<ObservedPod> pods,
      List<ObservedNode> nodes,
      int parallelism,
      int sharedBy,
      CostOptions options,
      RegionPriceView prices) {
    Map<String, ObservedNode> byName =
        nodes.stream()
            .collect(Collectors.toMap(ObservedNode::name, Function.identity(), (a, b) -> a));
    BigDecimal selfManaged = clusterShareUsdPerHour(prices, sharedBy);
    List<String> missing = new ArrayList<>();
    BigDecimal requestedCpu = BigDecimal.ZERO;
    BigDecimal requestedGiB = BigDecimal.ZERO;
    BigDecimal spares = BigDecimal.ZERO;
    int taskManagers = 0;
    int spot = 0;
    for (ObservedPod pod : pods) {
      if (pod.nodeName() == null) {
        continue;
      }
      ObservedNode node = byName.get(pod.nodeName());
      if (node == null) {
        missing.add("pod " + pod.name() + ": node " + pod.nodeName() + " not observed");
        continue;
      }
      CapacityType capacity = node.capacityType().orElse(CapacityType.ON_DEMAND);
      if (pod.component() == Component.TASK_MANAGER) {
        taskManagers++;
        if (capacity == CapacityType.SPOT) {
          spot++;
        }
      }
      if (node.instanceType().isEmpty()) {
        missing.add(
            "node "
                + node.name()
                + " has no "
                + ObservedNode.INSTANCE_TYPE
                + " label: its pods are not priced");
        continue;
      }
      String type = node.instanceType().get();
      if (!prices.knowsInstanceType(type)) {
        missing.add(unknownType(node.name(), type, prices.region()));
        continue;
      }
      try {
        BigDecimal hourly =
            capacity == CapacityType.SPOT
                ? prices.spotHour(type).usdPerHour()
                : prices.onDemandHour(type).value();
        NodeAllocatable allocatable = NodeAllocatable.of(prices.instanceType(type));
        BigDecimal memoryGiB = BigDecimal.valueOf(pod.memoryBytes()).divide(GIB, MC);
        BigDecimal share = hourly.multiply(allocatable.shareOf(pod.cpu(), memoryGiB));
        selfManaged = selfManaged.add(share);
        if (pod.component() == Component.SPARE) {
          spares = spares.add(share);
          continue;
        }
        requestedCpu = requestedCpu.add(pod.cpu());
        requestedGiB = requestedGiB.add(memoryGiB);
      } catch (dev.flinkspot.common.UserInputException e) {
        missing.add("node " + node.name() + " (" + type + "): " + e.getMessage());
      }
    }
    CostOptions oneHour = options.withHours(BigDecimal.ONE);
    BigDecimal managed =
        parallelism < 1
            ? BigDecimal.ZERO
            : ManagedFlinkBill.forParallelism(parallelism, oneHour, prices).bill().totalUsd();
    return new RunRate(
        selfManaged,
        managed,
        parallelism,
        taskManagers,
        spot,
        missing,
        emrOnEks(selfManaged, requestedCpu, requestedGiB, prices),
        spares);
  }

  /**
   * The cluster's fixed cost per hour, whole: what the cluster costs whatever runs on it. Today the
   * EKS control plane ($0.10 per cluster-hour, standard support:
   * https://aws.amazon.com/eks/pricing/); the system node group joins it once the live report
   * prices it.
   */
  public static BigDecimal clusterUsdPerHour(RegionPriceView prices) {
    return prices.eksControlPlaneHour().value();
  }

  /** One of {@code sharedBy} equal shares of the cluster's fixed cost; zero for none. */
  static BigDecimal clusterShareUsdPerHour(RegionPriceView prices, int sharedBy) {
    return share(clusterUsdPerHour(prices), sharedBy);
  }

  /** One of {@code sharedBy} equal parts of {@code whole}, unrounded; zero for none. */
  static BigDecimal share(BigDecimal whole, int sharedBy) {
    return sharedBy < 1 ? BigDecimal.ZERO : whole.divide(BigDecimal.valueOf(sharedBy), MC);
  }

  /**
   * Names the one type the catalog lacks and both ways to add it, not every type it knows: a
   * finance reader needs the fix, {@code flinkspot prices show} lists the rest.
   */
  static String unknownType(String node, String type, String region) {
    return "node "
        + node
        + " ("
        + type
        + "): instance type "
        + type
        + " is not in the price catalog, its pods are not priced; add instanceTypes."
        + type
        + " (vcpu, memoryGiB, maxPods, architecture) and regions."
        + region
        + ".ec2.onDemandHour."
        + type
        + " to a --prices FILE, or list the type under instanceTypes there and run"
        + " `flinkspot prices refresh --region "
        + region
        + " --prices FILE --output FILE` to fetch its prices";
  }

  /**
   * EMR on EKS per hour: the same nodes plus its uplift on the priced pods' requested vCPU and
   * memory; null when the catalog has no EMR on EKS prices (they are optional: not a missing figure
   * of the report).
   */
  private static BigDecimal emrOnEks(
      BigDecimal selfManaged, BigDecimal cpu, BigDecimal memoryGiB, RegionPriceView prices) {
    List<String> absent = new ArrayList<>();
    RegionPriceView view = prices.collectingMissing(absent);
    BigDecimal uplift =
        cpu.multiply(view.emrOnEksVcpuHour().value())
            .add(memoryGiB.multiply(view.emrOnEksMemoryGbHour().value()));
    return absent.isEmpty() ? selfManaged.add(uplift) : null;
  }

  /**
   * Adds {@code elapsed} at {@code rate} to running totals (self-managed, MSF). Exact: the caller
   * keeps the unrounded totals and rounds only for display.
   */
  public static Totals accumulate(Totals totals, RunRate rate, Duration elapsed) {
    if (elapsed.isNegative() || elapsed.isZero()) {
      return totals;
    }
    BigDecimal hours =
        BigDecimal.valueOf(elapsed.toMillis()).divide(BigDecimal.valueOf(3_600_000L), MC);
    return new Totals(
        totals.selfManagedUsd().add(rate.selfManagedUsdPerHour().multiply(hours)),
        totals.managedUsd().add(rate.managedUsdPerHour().multiply(hours)));
  }

  /** Cost accumulated since a report began, both sides. */
  public record Totals(BigDecimal selfManagedUsd, BigDecimal managedUsd) {
    public static final Totals ZERO = new Totals(BigDecimal.ZERO, BigDecimal.ZERO);
  }
}
