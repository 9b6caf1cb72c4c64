package dev.flinkspot.cost.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.live.FlinkCostReportStatus.PricedNode;
import dev.flinkspot.cost.live.ObservedPod.Component;
import dev.flinkspot.cost.nodes.CapacityType;
import dev.flinkspot.flink.FlinkConfiguration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one deployment runs on right now, priced: the input of a report, without the clock. Pure.
 *
 * @param rate the run-rate, or null when no figure at all could be computed (see {@code missing})
 * @param hoursPerMonth the catalog's month, for the monthly figures
 * @param missing every figure or label that was missing, each naming what to fix
 * @param clusterUsdPerHour the cluster's fixed cost per hour, whole (null when the region is not
 *     priced)
 * @param clusterSharedBy how many running deployments share it equally, this one included; 0 when
 *     this one does not run and so carries none of it
 * @param spares warm-spare placeholder pods bound to a node (priced on their own line)
 * @param pendingSpares placeholder pods not yet bound (no node yet: they cost nothing, and a
 *     reclaim until then waits for a new node)
 */
public record LiveObservation(
    String region,
    int parallelism,
    RunRate rate,
    BigDecimal hoursPerMonth,
    int jobManagers,
    int taskManagers,
    int spotTaskManagers,
    List<PricedNode> nodes,
    List<String> missing,
    BigDecimal clusterUsdPerHour,
    int clusterSharedBy,
    int spares,
    int pendingSpares) {

  public static final String REGION = "topology.kubernetes.io/region";
  static final String FIX = "supply it with --prices FILE (`flinkspot prices refresh` writes one)";

  public LiveObservation {
    nodes = List.copyOf(nodes);
    missing = List.copyOf(missing);
  }

  /**
   * Whether the deployment has warm-spare placeholders, bound or not: its report has their line.
   */
  public boolean hasSpares() {
    return spares + pendingSpares > 0;
  }

  /**
   * Whether the job runs: at least one TaskManager is bound to a node. Until then there is no
   * parallelism to compare with MSF, so a report says "not running" rather than "priced".
   */
  public boolean running() {
    return taskManagers > 0;
  }

  /** Whether every figure was found: only then may a report compare the two sides. */
  public boolean fullyPriced() {
    return rate != null && missing.isEmpty();
  }

  /**
   * Prices {@code pods} on {@code nodes} for {@code deployment} (the raw FlinkDeployment, for its
   * slots, max parallelism and job parallelism) with the catalog's figures of the nodes' region
   * ({@code fallbackRegion} for nodes without the region label).
   *
   * <p>The cluster's fixed cost is shared equally among the deployments that run: {@code
   * othersRunning} other running deployments and this one if it runs. A deployment that does not
   * run (no TaskManager bound) carries none of it, so the shares always add up to the cluster's
   * cost once, however many reports there are.
   */
  public static LiveObservation of(
      JsonNode deployment,
      List<ObservedPod> pods,
      List<ObservedNode> nodes,
      String fallbackRegion,
      PriceCatalog catalog,
      CostOptions options,
      int othersRunning) {
    Map<String, ObservedNode> byName =
        nodes.stream()
            .collect(Collectors.toMap(ObservedNode::name, Function.identity(), (a, b) -> a));
    List<ObservedPod> bound = pods.stream().filter(p -> p.nodeName() != null).toList();
    int jobManagers = 0;
    int taskManagers = 0;
    int spot = 0;
    int spares = 0;
    int pendingSpares =
        (int)
            pods.stream()
                .filter(p -> p.component() == Component.SPARE && p.nodeName() == null)
                .count();
    Map<String, int[]> perNode = new TreeMap<>();
    TreeSet<String> regions = new TreeSet<>();
    for (ObservedPod pod : bound) {
      int[] counts = perNode.computeIfAbsent(pod.nodeName(), n -> new int[3]);
      ObservedNode node = byName.get(pod.nodeName());
      if (pod.component() == Component.JOB_MANAGER) {
        jobManagers++;
        counts[0]++;
      } else if (pod.component() == Component.SPARE) {
        spares++;
        counts[2]++;
      } else {
        taskManagers++;
        counts[1]++;
        if (node != null && node.capacityType().orElse(null) == CapacityType.SPOT) {
          spot++;
        }
      }
      if (node != null && node.labels().get(REGION) != null) {
        regions.add(node.labels().get(REGION));
      }
    }
    List<PricedNode> priced = new ArrayList<>();
    perNode.forEach(
        (name, counts) -> {
          ObservedNode node = byName.get(name);
          priced.add(
              new PricedNode(
                  name,
                  node == null ? null : node.instanceType().orElse(null),
                  node == null ? null : node.capacityType().orElse(CapacityType.ON_DEMAND).name(),
                  counts[0],
                  counts[1],
                  counts[2] == 0 ? null : counts[2]));
        });
    int parallelism = parallelism(deployment, taskManagers);
    int sharedBy = taskManagers > 0 ? othersRunning + 1 : 0;
    String region = regions.isEmpty() ? fallbackRegion : regions.first();
    List<String> missing = new ArrayList<>();
    if (regions.size() > 1) {
      missing.add("pods run in several regions " + regions + "; priced at " + region);
    }
    RegionPriceView prices;
    try {
      prices = catalog.region(region);
    } catch (UserInputException e) {
      missing.add(
          "region "
              + region
              + " is not in the price catalog: add regions."
              + region
              + " and "
              + FIX);
      return new LiveObservation(
          region,
          parallelism,
          null,
          catalog.hoursPerMonth(),
          jobManagers,
          taskManagers,
          spot,
          priced,
          missing,
          null,
          sharedBy,
          spares,
          pendingSpares);
    }
    RunRate rate;
    BigDecimal cluster = null;
    try {
      rate = LiveCost.runRate(bound, nodes, parallelism, sharedBy, options, prices);
      missing.addAll(rate.missing());
      cluster = LiveCost.clusterUsdPerHour(prices);
    } catch (UserInputException e) {
      // A region-wide figure (control plane, KPU, storage) is missing: nothing can be priced.
      missing.add(e.getMessage());
      rate = null;
    }
    return new LiveObservation(
        region,
        parallelism,
        rate,
        catalog.hoursPerMonth(),
        jobManagers,
        taskManagers,
        spot,
        priced,
        missing,
        cluster,
        sharedBy,
        spares,
        pendingSpares);
  }

  /**
   * The parallelism MSF is priced for: the job's own {@code job.parallelism} unless the job runs in
   * Reactive Mode (or sets none), in which case it is what the running TaskManagers' slots give,
   * capped at the max parallelism.
   */
  static int parallelism(JsonNode deployment, int runningTaskManagers) {
    FlinkConfiguration conf = FlinkConfiguration.of(deployment);
    if (!conf.reactive() && conf.jobParallelism().isPresent()) {
      return runningTaskManagers == 0 ? 0 : conf.jobParallelism().getAsInt();
    }
    long slots = (long) runningTaskManagers * conf.slots();
    return (int) Math.min(slots, conf.maxParallelism());
  }
}
