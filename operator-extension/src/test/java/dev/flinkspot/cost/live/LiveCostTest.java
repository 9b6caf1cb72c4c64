package dev.flinkspot.cost.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.live.ObservedPod.Component;
import dev.flinkspot.cost.nodes.NodeAllocatable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Pricing what actually runs: pods on the nodes they landed on. */
class LiveCostTest {
  private static final RegionPriceView PRICES = CatalogLoader.builtIn().region("us-east-1");
  private static final CostOptions OPTIONS = CostOptions.defaults();
  private static final Offset<BigDecimal> TOLERANCE = Offset.offset(new BigDecimal("0.0000001"));

  private static ObservedNode node(
      String name, String type, String capacityLabel, String capacity) {
    return new ObservedNode(
        name,
        type == null
            ? Map.of(capacityLabel, capacity)
            : Map.of(ObservedNode.INSTANCE_TYPE, type, capacityLabel, capacity));
  }

  private static ObservedPod tm(String name, String node) {
    return new ObservedPod(name, Component.TASK_MANAGER, new BigDecimal("1.75"), 7168L << 20, node);
  }

  private static BigDecimal tmShareOfXlarge() {
    NodeAllocatable xlarge = NodeAllocatable.of(PRICES.instanceType("m5.xlarge"));
    return xlarge.shareOf(new BigDecimal("1.75"), new BigDecimal("7"));
  }

  @Test
  void podsArePricedAtTheirOwnNodesTypeAndCapacity() {
    List<ObservedNode> nodes =
        List.of(
            node("spot-1", "m5.xlarge", ObservedNode.EKS_CAPACITY, "SPOT"),
            node("od-1", "m5.xlarge", ObservedNode.KARPENTER_CAPACITY, "on-demand"));
    List<ObservedPod> pods = List.of(tm("tm-1", "spot-1"), tm("tm-2", "od-1"), tm("tm-3", null));

    RunRate rate = LiveCost.runRate(pods, nodes, 4, OPTIONS, PRICES);

    BigDecimal spotHour = new BigDecimal("0.192").multiply(new BigDecimal("0.52"));
    BigDecimal expected =
        new BigDecimal("0.10") // control plane, one job
            .add(spotHour.multiply(tmShareOfXlarge()))
            .add(new BigDecimal("0.192").multiply(tmShareOfXlarge()));
    assertThat(rate.selfManagedUsdPerHour()).isCloseTo(expected, TOLERANCE);
    assertThat(rate.taskManagers()).isEqualTo(2); // the pending one is not running yet
    assertThat(rate.spotTaskManagers()).isEqualTo(1);
    assertThat(rate.spotShare()).isEqualByComparingTo("0.5");
    assertThat(rate.missing()).isEmpty();
  }

  /** us-east-1 with EMR on EKS uplift prices: $0.01 per vCPU-hour, $0.001 per GB-hour. */
  private static RegionPriceView withEmrPrices() throws java.io.IOException {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("emr", ".yaml");
    java.nio.file.Files.writeString(
        file,
        """
        regions:
          us-east-1:
            emrOnEks:
              vcpuHour: {value: "0.01", unit: USD/vCPU-hour, asOf: 2026-11-30, source: test}
              memoryGbHour: {value: "0.001", unit: USD/GB-hour, asOf: 2026-11-30, source: test}
        """);
    return CatalogLoader.withOverrides(file).region("us-east-1");
  }

  @Test
  void emrOnEksIsTheSameNodesPlusItsUpliftWhenItsPricesAreGiven() throws Exception {
    RegionPriceView withEmr = withEmrPrices();
    List<ObservedNode> nodes =
        List.of(node("spot-1", "m5.xlarge", ObservedNode.EKS_CAPACITY, "SPOT"));
    List<ObservedPod> pods = List.of(tm("tm-1", "spot-1"), tm("tm-2", "spot-1"), tm("tm-3", null));

    RunRate rate = LiveCost.runRate(pods, nodes, 4, OPTIONS, withEmr);
    RunRate without = LiveCost.runRate(pods, nodes, 4, OPTIONS, PRICES);

    // two bound TaskManagers: 3.5 vCPU × $0.01 + 14 GiB × $0.001 per hour
    assertThat(rate.emrOnEksUsdPerHour())
        .isCloseTo(rate.selfManagedUsdPerHour().add(new BigDecimal("0.049")), TOLERANCE);
    assertThat(without.emrOnEksUsdPerHour()).isNull();
    assertThat(without.missing()).isEmpty(); // EMR on EKS prices are optional
  }

  private static ObservedPod spare(String name, String node) {
    return new ObservedPod(name, Component.SPARE, new BigDecimal("1.75"), 7168L << 20, node);
  }

  /**
   * Issue 12 item 3: a warm spare sized like a TaskManager on a TaskManager node costs exactly what
   * that TaskManager costs, on its own line inside the self-managed figure; it adds no TaskManager;
   * a pending one costs nothing yet.
   */
  @Test
  void aWarmSpareIsPricedOnItsOwnLineAtItsNodesPriceAndIsNoTaskManager() {
    List<ObservedNode> nodes =
        List.of(
            node("spot-1", "m5.xlarge", ObservedNode.EKS_CAPACITY, "SPOT"),
            node("od-1", "m5.xlarge", ObservedNode.EKS_CAPACITY, "ON_DEMAND"));
    RunRate withoutSpares =
        LiveCost.runRate(List.of(tm("tm-1", "spot-1")), nodes, 2, OPTIONS, PRICES);

    RunRate rate =
        LiveCost.runRate(
            List.of(tm("tm-1", "spot-1"), spare("spare-1", "spot-1"), spare("spare-2", null)),
            nodes,
            2,
            OPTIONS,
            PRICES);

    BigDecimal spotHour = PRICES.spotHour("m5.xlarge").usdPerHour();
    BigDecimal oneTaskManager = spotHour.multiply(tmShareOfXlarge());
    assertThat(rate.spareUsdPerHour()).isCloseTo(oneTaskManager, TOLERANCE);
    assertThat(rate.selfManagedUsdPerHour())
        .isCloseTo(withoutSpares.selfManagedUsdPerHour().add(oneTaskManager), TOLERANCE);
    assertThat(rate.taskManagers()).isEqualTo(1);
    assertThat(rate.spotTaskManagers()).isEqualTo(1);
    assertThat(rate.managedUsdPerHour()).isEqualTo(withoutSpares.managedUsdPerHour());
    assertThat(withoutSpares.spareUsdPerHour()).isZero();
    // On an On-Demand node the same placeholder costs the On-Demand share.
    RunRate onDemand =
        LiveCost.runRate(List.of(spare("spare-1", "od-1")), nodes, 0, OPTIONS, PRICES);
    assertThat(onDemand.spareUsdPerHour())
        .isCloseTo(PRICES.onDemandHour("m5.xlarge").value().multiply(tmShareOfXlarge()), TOLERANCE);
  }

  @Test
  void sparesAreNoEmrJobPodsSoTheyCarryNoUplift() throws Exception {
    RegionPriceView withEmr = withEmrPrices();
    List<ObservedNode> nodes =
        List.of(node("spot-1", "m5.xlarge", ObservedNode.EKS_CAPACITY, "SPOT"));

    RunRate rate =
        LiveCost.runRate(
            List.of(tm("tm-1", "spot-1"), spare("spare-1", "spot-1")), nodes, 2, OPTIONS, withEmr);

    // one TaskManager: 1.75 vCPU × $0.01 + 7 GiB × $0.001 per hour; the spare's node share only
    assertThat(rate.emrOnEksUsdPerHour())
        .isCloseTo(rate.selfManagedUsdPerHour().add(new BigDecimal("0.0245")), TOLERANCE);
  }

  @Test
  void aSpareOnANodeWithoutInstanceTypeIsNamedNotGuessed() {
    RunRate rate =
        LiveCost.runRate(
            List.of(spare("spare-1", "bare")),
            List.of(node("bare", null, ObservedNode.EKS_CAPACITY, "SPOT")),
            0,
            OPTIONS,
            PRICES);

    assertThat(rate.missing())
        .singleElement()
        .asString()
        .startsWith("node bare has no node.kubernetes.io/instance-type label");
    assertThat(rate.spareUsdPerHour()).isZero();
  }

  @Test
  void msfRunRateIsTheKpuBillOfOneHour() {
    RunRate rate = LiveCost.runRate(List.of(), List.of(), 8, OPTIONS, PRICES);

    // 9 KPU × $0.11 + 8 × 50 GB × $0.10 / 730 h
    BigDecimal expected =
        new BigDecimal("0.99")
            .add(new BigDecimal("40").divide(new BigDecimal("730"), MathContext.DECIMAL64));
    assertThat(rate.managedUsdPerHour()).isCloseTo(expected, TOLERANCE);
  }

  @Test
  void aNodeWithoutInstanceTypeOrPriceIsNamedNotGuessed() {
    List<ObservedNode> nodes =
        List.of(
            node("bare", null, ObservedNode.EKS_CAPACITY, "SPOT"),
            node("exotic", "x2iedn.32xlarge", ObservedNode.EKS_CAPACITY, "ON_DEMAND"));

    RunRate rate =
        LiveCost.runRate(
            List.of(tm("tm-1", "bare"), tm("tm-2", "exotic")), nodes, 2, OPTIONS, PRICES);

    assertThat(rate.missing())
        .hasSize(2)
        .anySatisfy(
            m ->
                assertThat(m).startsWith("node bare has no node.kubernetes.io/instance-type label"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith(
                        "node exotic (x2iedn.32xlarge): instance type x2iedn.32xlarge is not in"
                            + " the price catalog"));
    assertThat(rate.selfManagedUsdPerHour()).isEqualByComparingTo("0.10"); // only what is known
  }

  /** Issue 17 item 10: the message names the one missing type and its fix, not the catalog. */
  @Test
  void anUnknownTypeIsNamedAloneWithItsFix() {
    RunRate rate =
        LiveCost.runRate(
            List.of(tm("tm-1", "flex")),
            List.of(node("flex", "m7i-flex.xlarge", ObservedNode.EKS_CAPACITY, "SPOT")),
            1,
            OPTIONS,
            PRICES);

    assertThat(rate.missing())
        .singleElement()
        .asString()
        .contains("m7i-flex.xlarge")
        .contains("instanceTypes.m7i-flex.xlarge")
        .contains("regions.us-east-1.ec2.onDemandHour.m7i-flex.xlarge")
        .contains("--prices FILE")
        .contains("flinkspot prices refresh --region us-east-1")
        .doesNotContain("m5.xlarge")
        .doesNotContain("known");
  }

  @Test
  void pricesAndPlacementChangesChangeTheRate() {
    List<ObservedNode> nodes =
        List.of(
            node("a", "m5.xlarge", ObservedNode.EKS_CAPACITY, "SPOT"),
            node("b", "m5.xlarge", ObservedNode.EKS_CAPACITY, "ON_DEMAND"));

    RunRate onSpot = LiveCost.runRate(List.of(tm("tm", "a")), nodes, 2, OPTIONS, PRICES);
    RunRate movedToOnDemand = LiveCost.runRate(List.of(tm("tm", "b")), nodes, 2, OPTIONS, PRICES);

    assertThat(movedToOnDemand.selfManagedUsdPerHour())
        .isGreaterThan(onSpot.selfManagedUsdPerHour());
    assertThat(movedToOnDemand.spotTaskManagers()).isZero();
  }

  @Test
  void totalsAccumulateExactlyOverTime() {
    RunRate rate = new RunRate(new BigDecimal("0.30"), new BigDecimal("1.20"), 8, 4, 4, List.of());

    LiveCost.Totals totals =
        LiveCost.accumulate(LiveCost.Totals.ZERO, rate, Duration.ofMinutes(90));
    totals = LiveCost.accumulate(totals, rate, Duration.ofMinutes(30));
    totals = LiveCost.accumulate(totals, rate, Duration.ofSeconds(-5)); // clock skew adds nothing

    assertThat(totals.selfManagedUsd()).isEqualByComparingTo("0.60");
    assertThat(totals.managedUsd()).isEqualByComparingTo("2.40");
  }
}
