package dev.flinkspot.cost;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.InstanceTypeSpec;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.CapacityType;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.nodes.NodeAllocatable;
import dev.flinkspot.cost.nodes.NodeGroup;
import dev.flinkspot.cost.workload.FlinkWorkload;
import dev.flinkspot.cost.workload.PodShape;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What the same job costs self-managed on EKS, in two views: {@code dedicated} (pods bin-packed
 * onto whole nodes that serve only this job) and {@code shared} (the pods' share of their nodes).
 * Both add the job's share of the EKS control plane and of the system node group, its checkpoint
 * storage in S3, and the inter-AZ transfer of its shuffle when the rate is known.
 *
 * @param interAzUsd what the shuffle's cross-zone traffic costs (zero when not counted): what a
 *     single-zone placement of the TaskManagers would save
 */
public record SelfManagedBill(
    Bill dedicated,
    Bill shared,
    int jobManagerNodes,
    int taskManagerNodes,
    boolean liveSpotPrices,
    BigDecimal interAzUsd) {

  private static final MathContext MC = MathContext.DECIMAL64;
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
  private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1000);

  public static SelfManagedBill of(
      FlinkWorkload workload,
      ClusterNodeGroups groups,
      CostOptions options,
      RegionPriceView prices) {
    BigDecimal hours = options.hours();
    BigDecimal months = hours.divide(prices.hoursPerMonth(), MC);
    Placement jm =
        place(
            "JobManager",
            workload.jobManager(),
            workload.jobManagerReplicas(),
            groups.jobManagers(),
            prices,
            hours);
    Placement tm =
        place(
            "TaskManager",
            workload.taskManager(),
            workload.taskManagerReplicas(),
            groups.taskManagers(),
            prices,
            hours);
    BigDecimal ebs = prices.ebsGp3GbMonth().value();
    BigDecimal controlPlane =
        prices
            .eksControlPlaneHour()
            .value()
            .multiply(hours)
            .divide(BigDecimal.valueOf(options.clusterJobs()), MC);
    String controlPlaneBasis =
        "$"
            + prices.eksControlPlaneHour().value().toPlainString()
            + "/h × "
            + hours.stripTrailingZeros().toPlainString()
            + " h"
            + (options.clusterJobs() > 1 ? " ÷ " + options.clusterJobs() + " jobs" : "");
    CostLine system = systemNodeGroup(groups, options, prices, hours, months);
    CostLine interAz = interAzTransfer(options, prices, hours);
    CostLine checkpoints = null;
    if (options.stateGb().signum() > 0) {
      BigDecimal s3 = prices.s3StandardGbMonth().value();
      checkpoints =
          new CostLine(
              "checkpoints in S3",
              options.stateGb().multiply(s3).multiply(months),
              options.stateGb().toPlainString() + " GB × $" + s3.toPlainString() + "/GB-month");
    }

    List<CostLine> dedicated = new ArrayList<>();
    dedicated.add(
        new CostLine("JobManager nodes (On-Demand)", jm.dedicatedUsd(), jm.dedicatedBasis()));
    dedicated.add(
        new CostLine(
            "TaskManager nodes (" + label(groups.taskManagers()) + ")",
            tm.dedicatedUsd(),
            tm.dedicatedBasis()));
    int nodes = jm.nodes() + tm.nodes();
    dedicated.add(
        new CostLine(
            "node root volumes (gp3)",
            BigDecimal.valueOf(
                    (long) jm.nodes() * groups.jobManagers().volumeSizeGb()
                        + (long) tm.nodes() * groups.taskManagers().volumeSizeGb())
                .multiply(ebs)
                .multiply(months),
            nodes + " nodes × root volume × $" + ebs.toPlainString() + "/GB-month"));
    dedicated.add(new CostLine("EKS control plane", controlPlane, controlPlaneBasis));
    addShared(dedicated, system, interAz, checkpoints);

    List<CostLine> shared = new ArrayList<>();
    shared.add(new CostLine("JobManager nodes (On-Demand)", jm.sharedUsd(), jm.sharedBasis()));
    shared.add(
        new CostLine(
            "TaskManager nodes (" + label(groups.taskManagers()) + ")",
            tm.sharedUsd(),
            tm.sharedBasis()));
    shared.add(
        new CostLine(
            "node root volumes (gp3)",
            jm.nodeShares()
                .multiply(BigDecimal.valueOf(groups.jobManagers().volumeSizeGb()))
                .add(
                    tm.nodeShares()
                        .multiply(BigDecimal.valueOf(groups.taskManagers().volumeSizeGb())))
                .multiply(ebs)
                .multiply(months),
            "pods' node share × root volume × $" + ebs.toPlainString() + "/GB-month"));
    shared.add(new CostLine("EKS control plane", controlPlane, controlPlaneBasis));
    addShared(shared, system, interAz, checkpoints);
    return new SelfManagedBill(
        new Bill("self-managed on EKS (dedicated nodes)", dedicated),
        new Bill("self-managed on EKS (shared cluster)", shared),
        jm.nodes(),
        tm.nodes(),
        tm.liveSpot(),
        interAz == null ? BigDecimal.ZERO : interAz.usd());
  }

  private static void addShared(List<CostLine> bill, CostLine... lines) {
    for (CostLine line : lines) {
      if (line != null) {
        bill.add(line);
      }
    }
  }

  /**
   * The system node group (CoreDNS, add-on controllers, flinkspot itself): On-Demand nodes and
   * their root volumes, shared by the cluster's jobs like the control plane.
   */
  private static CostLine systemNodeGroup(
      ClusterNodeGroups groups,
      CostOptions options,
      RegionPriceView prices,
      BigDecimal hours,
      BigDecimal months) {
    NodeGroup system = groups.system();
    if (system == null || groups.systemNodes() == 0) {
      return null;
    }
    BigDecimal hourly = BigDecimal.ZERO;
    for (String type : system.instanceTypes()) {
      hourly = hourly.add(prices.onDemandHour(type).value());
    }
    hourly = hourly.divide(BigDecimal.valueOf(system.instanceTypes().size()), MC);
    BigDecimal nodes = BigDecimal.valueOf(groups.systemNodes());
    BigDecimal ebs = prices.ebsGp3GbMonth().value();
    BigDecimal usd =
        nodes
            .multiply(hourly)
            .multiply(hours)
            .add(
                nodes
                    .multiply(BigDecimal.valueOf(system.volumeSizeGb()))
                    .multiply(ebs)
                    .multiply(months))
            .divide(BigDecimal.valueOf(options.clusterJobs()), MC);
    return new CostLine(
        "system node group (On-Demand)",
        usd,
        groups.systemNodes()
            + " × "
            + String.join("/", system.instanceTypes())
            + " $"
            + hourly.round(new MathContext(4)).toPlainString()
            + "/h + "
            + system.volumeSizeGb()
            + " GB gp3 each"
            + (options.clusterJobs() > 1 ? " ÷ " + options.clusterJobs() + " jobs" : ""));
  }

  /**
   * Keyed shuffles between TaskManagers spread evenly over z zones: a record's receiver sits in
   * another zone with probability (z−1)/z, and AWS charges such traffic on both sides.
   */
  private static CostLine interAzTransfer(
      CostOptions options, RegionPriceView prices, BigDecimal hours) {
    if (options.shuffleMbPerS() == null) {
      return null;
    }
    int zones = options.taskManagerZones();
    BigDecimal gb =
        options.shuffleMbPerS().multiply(SECONDS_PER_HOUR).multiply(hours).divide(MB_PER_GB, MC);
    BigDecimal crossing = BigDecimal.valueOf(zones - 1L).divide(BigDecimal.valueOf(zones), MC);
    BigDecimal price = prices.interAzGbEachWay().value();
    BigDecimal usd = gb.multiply(crossing).multiply(price).multiply(BigDecimal.valueOf(2));
    return new CostLine(
        "inter-AZ shuffle traffic",
        usd,
        options.shuffleMbPerS().stripTrailingZeros().toPlainString()
            + " MB/s × "
            + hours.stripTrailingZeros().toPlainString()
            + " h × "
            + (zones - 1)
            + "/"
            + zones
            + " crossing zones × $"
            + price.toPlainString()
            + "/GB each way × 2");
  }

  private static String label(NodeGroup group) {
    return group.capacity() == CapacityType.SPOT ? "Spot" : "On-Demand";
  }

  /**
   * Prices pods of one shape on a group. A diversified group may launch any of its types, so costs
   * are the mean over its types and the node count the largest any type needs.
   */
  private static Placement place(
      String component,
      PodShape pod,
      int replicas,
      NodeGroup group,
      RegionPriceView prices,
      BigDecimal hours) {
    BigDecimal dedicatedSum = BigDecimal.ZERO;
    BigDecimal sharedSum = BigDecimal.ZERO;
    BigDecimal shareSum = BigDecimal.ZERO;
    int maxNodes = 0;
    boolean liveSpot = group.capacity() == CapacityType.SPOT;
    List<String> perNode = new ArrayList<>();
    for (String type : group.instanceTypes()) {
      InstanceTypeSpec spec = prices.instanceType(type);
      NodeAllocatable allocatable = NodeAllocatable.of(spec);
      int fit = allocatable.podsThatFit(pod.cpu(), pod.memoryGiB());
      if (fit == 0) {
        throw new UserInputException(
            component
                + " pod ("
                + pod.cpu().stripTrailingZeros().toPlainString()
                + " vCPU, "
                + pod.memoryGiB().round(new MathContext(3)).toPlainString()
                + " GiB) does not fit on "
                + type
                + " (allocatable "
                + allocatable.cpu().round(new MathContext(3)).toPlainString()
                + " vCPU, "
                + allocatable.memoryGiB().round(new MathContext(3)).toPlainString()
                + " GiB): choose larger instance types (--eksctl) or smaller spec."
                + (component.equals("JobManager") ? "jobManager" : "taskManager")
                + ".resource");
      }
      BigDecimal hourly;
      if (group.capacity() == CapacityType.SPOT) {
        RegionPriceView.SpotPrice spot = prices.spotHour(type);
        liveSpot &= spot.live();
        hourly = spot.usdPerHour();
      } else {
        hourly = prices.onDemandHour(type).value();
      }
      int nodes = Math.floorDiv(replicas + fit - 1, fit);
      maxNodes = Math.max(maxNodes, nodes);
      perNode.add(
          type + " $" + hourly.round(new MathContext(4)).toPlainString() + "/h, " + fit + "/node");
      dedicatedSum = dedicatedSum.add(hourly.multiply(BigDecimal.valueOf(nodes)).multiply(hours));
      BigDecimal share =
          allocatable.shareOf(pod.cpu(), pod.memoryGiB()).multiply(BigDecimal.valueOf(replicas));
      shareSum = shareSum.add(share);
      sharedSum = sharedSum.add(hourly.multiply(share).multiply(hours));
    }
    BigDecimal types = BigDecimal.valueOf(group.instanceTypes().size());
    String pricing =
        group.instanceTypes().size() > 1
            ? "mean over " + group.instanceTypes().size() + " types"
            : group.instanceTypes().get(0);
    String detail = String.join("; ", perNode);
    return new Placement(
        maxNodes,
        dedicatedSum.divide(types, MC),
        replicas + " pods on " + maxNodes + " node(s), " + pricing + " (" + detail + ")",
        sharedSum.divide(types, MC),
        replicas + " pods' share of their nodes (larger of CPU and memory share), " + pricing,
        shareSum.divide(types, MC),
        liveSpot);
  }

  private record Placement(
      int nodes,
      BigDecimal dedicatedUsd,
      String dedicatedBasis,
      BigDecimal sharedUsd,
      String sharedBasis,
      BigDecimal nodeShares,
      boolean liveSpot) {}
}
