package dev.flinkspot.cost.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.ManagedFlinkBill;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.live.FlinkCostReportStatus.PricedNode;
import dev.flinkspot.cost.live.LiveCost.Totals;
import dev.flinkspot.cost.live.ObservedPod.Component;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deployment's pods on their nodes, priced; the report's status built from it. */
class LiveObservationTest {
  private static final PriceCatalog CATALOG = CatalogLoader.builtIn();
  private static final CostOptions OPTIONS = CostOptions.defaults();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** A standalone deployment (Reactive Mode needs one) with this configuration. */
  static JsonNode deployment(String flinkConfiguration, Integer jobParallelism) throws Exception {
    return JSON.readTree(
        "{\"metadata\":{\"name\":\"ticker\",\"namespace\":\"flink\"},\"spec\":{"
            + "\"mode\":\"standalone\",\"flinkConfiguration\":"
            + flinkConfiguration
            + (jobParallelism == null ? "" : ",\"job\":{\"parallelism\":" + jobParallelism + "}")
            + "}}");
  }

  static ObservedNode node(String name, String type, String capacity, String region) {
    var labels = new java.util.HashMap<String, String>();
    if (type != null) {
      labels.put(ObservedNode.INSTANCE_TYPE, type);
    }
    labels.put(ObservedNode.EKS_CAPACITY, capacity);
    labels.put(LiveObservation.REGION, region);
    return new ObservedNode(name, labels);
  }

  /** A priced observation of 1 JobManager and 2 TaskManagers, {@code spot} of them on Spot. */
  static LiveObservation running(RunRate rate, int spot) {
    return new LiveObservation(
        "us-east-1",
        4,
        rate,
        new BigDecimal("730"),
        1,
        2,
        spot,
        List.of(),
        List.of(),
        null,
        1,
        0,
        0);
  }

  static ObservedPod pod(String name, Component c, String node) {
    return new ObservedPod(name, c, new BigDecimal("1.75"), 7168L << 20, node);
  }

  @Test
  void countsPricesAndNamesTheNodesOfAReactiveDeployment() throws Exception {
    var d =
        deployment("{\"scheduler-mode\":\"REACTIVE\",\"taskmanager.numberOfTaskSlots\":\"2\"}", 8);
    var nodes =
        List.of(
            node("od-1", "m5.xlarge", "ON_DEMAND", "us-east-1"),
            node("spot-1", "m5.xlarge", "SPOT", "us-east-1"),
            node("spot-2", "c5.2xlarge", "SPOT", "us-east-1"));
    var pods =
        List.of(
            pod("jm", Component.JOB_MANAGER, "od-1"),
            pod("tm-1", Component.TASK_MANAGER, "spot-1"),
            pod("tm-2", Component.TASK_MANAGER, "spot-2"),
            pod("tm-3", Component.TASK_MANAGER, "od-1"),
            pod("tm-pending", Component.TASK_MANAGER, null));

    var o = LiveObservation.of(d, pods, nodes, "eu-west-1", CATALOG, OPTIONS, 0);

    assertThat(o.region()).isEqualTo("us-east-1"); // the nodes' label, not the fallback
    assertThat(o.jobManagers()).isEqualTo(1);
    assertThat(o.taskManagers()).isEqualTo(3);
    assertThat(o.spotTaskManagers()).isEqualTo(2);
    // Reactive: 3 running TMs × 2 slots, whatever job.parallelism says.
    assertThat(o.parallelism()).isEqualTo(6);
    assertThat(o.nodes())
        .containsExactly(
            new PricedNode("od-1", "m5.xlarge", "ON_DEMAND", 1, 1),
            new PricedNode("spot-1", "m5.xlarge", "SPOT", 0, 1),
            new PricedNode("spot-2", "c5.2xlarge", "SPOT", 0, 1));
    assertThat(o.missing()).isEmpty();
    // The same engine as LiveCost and flinkspot cost: nothing re-derived here.
    var region = CATALOG.region("us-east-1");
    assertThat(o.rate()).isEqualTo(LiveCost.runRate(pods.subList(0, 4), nodes, 6, OPTIONS, region));
    var oneHour =
        new CostOptions(BigDecimal.ONE, 1, true, false, BigDecimal.ZERO, 1, OPTIONS.view());
    assertThat(o.rate().managedUsdPerHour())
        .isEqualByComparingTo(
            ManagedFlinkBill.forParallelism(6, oneHour, region).bill().totalUsd());
  }

  /**
   * Issue 12 item 3: placeholders are counted and priced on their own line, per node too; the
   * TaskManager count, the Spot share and MSF's parallelism (Reactive: TaskManagers × slots) ignore
   * them; a pending one is counted as pending.
   */
  @Test
  void sparesHaveTheirOwnLineAndAreNoTaskManagers() throws Exception {
    var d =
        deployment(
            "{\"scheduler-mode\":\"REACTIVE\",\"taskmanager.numberOfTaskSlots\":\"2\"}", null);
    var nodes =
        List.of(
            node("od-1", "m5.xlarge", "ON_DEMAND", "us-east-1"),
            node("spot-1", "m5.xlarge", "SPOT", "us-east-1"));
    var pods =
        List.of(
            pod("jm", Component.JOB_MANAGER, "od-1"),
            pod("tm-1", Component.TASK_MANAGER, "spot-1"),
            pod("spare-1", Component.SPARE, "spot-1"),
            pod("spare-2", Component.SPARE, null));

    var o = LiveObservation.of(d, pods, nodes, "us-east-1", CATALOG, OPTIONS, 0);

    assertThat(o.taskManagers()).isEqualTo(1);
    assertThat(o.spotTaskManagers()).isEqualTo(1);
    assertThat(o.parallelism()).isEqualTo(2);
    assertThat(o.spares()).isEqualTo(1);
    assertThat(o.pendingSpares()).isEqualTo(1);
    assertThat(o.nodes())
        .containsExactly(
            new PricedNode("od-1", "m5.xlarge", "ON_DEMAND", 1, 0),
            new PricedNode("spot-1", "m5.xlarge", "SPOT", 0, 1, 1));
    BigDecimal tmOnSpot =
        LiveCost.runRate(pods.subList(1, 2), nodes, 2, 1, OPTIONS, CATALOG.region("us-east-1"))
            .selfManagedUsdPerHour()
            .subtract(CATALOG.region("us-east-1").eksControlPlaneHour().value());
    assertThat(o.rate().spareUsdPerHour()).isEqualByComparingTo(tmOnSpot);

    var status = LiveReportStatus.build(o, Ledger.begin(T0, o.rate()), T0, null);
    assertThat(status.taskManagers()).isEqualTo(1);
    assertThat(status.spotSharePercent()).isEqualTo("100.0");
    assertThat(status.spares().pods()).isEqualTo(1);
    assertThat(status.spares().pending()).isEqualTo(1);
    assertThat(status.spares().usdPerHour()).isEqualTo(LiveReportStatus.micro(tmOnSpot));
    assertThat(status.spares().usdPerMonth())
        .isEqualTo(LiveReportStatus.cents(tmOnSpot.multiply(new BigDecimal("730"))));
    assertThat(status.conditions().get(0).getStatus()).isEqualTo("True");
    // A spare moving to another node is a change to write; a deployment without spares has no
    // line; a closed period none either.
    var withoutSpares =
        LiveObservation.of(d, pods.subList(0, 2), nodes, "us-east-1", CATALOG, OPTIONS, 0);
    assertThat(LiveReportStatus.build(withoutSpares, Ledger.begin(T0, null), T0, null).spares())
        .isNull();
    assertThat(status.withoutProgress())
        .isNotEqualTo(
            LiveReportStatus.build(withoutSpares, Ledger.begin(T0, null), T0, null)
                .withoutProgress());
    assertThat(LiveReportStatus.close(status, Ledger.begin(T0, null), "policy deleted").spares())
        .isNull();
  }

  /** Spares bound before any TaskManager: priced, but the job does not run (no cluster share). */
  @Test
  void sparesAloneAreCostButNotRunning() throws Exception {
    var d = deployment("{\"taskmanager.numberOfTaskSlots\":\"2\"}", 4);
    var nodes = List.of(node("spot-1", "m5.xlarge", "SPOT", "us-east-1"));

    var o =
        LiveObservation.of(
            d,
            List.of(pod("spare-1", Component.SPARE, "spot-1")),
            nodes,
            "us-east-1",
            CATALOG,
            OPTIONS,
            3);

    assertThat(o.running()).isFalse();
    assertThat(o.clusterSharedBy()).isZero();
    assertThat(o.rate().spareUsdPerHour()).isPositive();
    assertThat(o.rate().selfManagedUsdPerHour()).isEqualByComparingTo(o.rate().spareUsdPerHour());
    var status = LiveReportStatus.build(o, Ledger.begin(T0, o.rate()), T0, null);
    assertThat(status.conditions().get(0).getReason()).isEqualTo("NotRunning");
    assertThat(status.spares().pods()).isEqualTo(1);
  }

  @Test
  void aDeclaredParallelismIsMsfsParallelismOutsideReactiveMode() throws Exception {
    var d = deployment("{\"taskmanager.numberOfTaskSlots\":\"2\"}", 3);
    assertThat(LiveObservation.parallelism(d, 2)).isEqualTo(3);
    assertThat(LiveObservation.parallelism(d, 0)).isZero(); // not running: MSF bills nothing
    var capped =
        deployment(
            "{\"taskmanager.numberOfTaskSlots\":\"4\",\"pipeline.max-parallelism\":\"10\"}", null);
    assertThat(LiveObservation.parallelism(capped, 5)).isEqualTo(10);
  }

  /** The same rule as {@code flinkspot cost}: Reactive Mode only runs standalone. */
  @Test
  void aReactiveKeyInNativeModeIsPricedAtTheDeclaredParallelism() throws Exception {
    var d =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            deployment(
                "{\"scheduler-mode\":\"reactive\",\"taskmanager.numberOfTaskSlots\":\"2\"}", 8);
    assertThat(LiveObservation.parallelism(d, 3)).isEqualTo(6); // standalone: reactive
    ((com.fasterxml.jackson.databind.node.ObjectNode) d.get("spec")).put("mode", "native");
    assertThat(LiveObservation.parallelism(d, 3)).isEqualTo(8); // native: job.parallelism
  }

  @Test
  void aNodeWithoutInstanceTypeAndAnUnknownTypeAreNamedWithTheFix() throws Exception {
    var d = deployment("{}", null);
    var nodes =
        List.of(
            node("bare", null, "SPOT", "us-east-1"),
            node("exotic", "x9.mega", "ON_DEMAND", "us-east-1"));
    var pods =
        List.of(
            pod("tm-1", Component.TASK_MANAGER, "bare"),
            pod("tm-2", Component.TASK_MANAGER, "exotic"));

    var o = LiveObservation.of(d, pods, nodes, "us-east-1", CATALOG, OPTIONS, 0);

    assertThat(o.missing()).hasSize(2);
    assertThat(o.missing().get(0)).contains("bare").contains("node.kubernetes.io/instance-type");
    assertThat(o.missing().get(1)).contains("exotic").contains("x9.mega").contains("--prices");
    var status = LiveReportStatus.build(o, Ledger.begin(T0, o.rate()), T0, null);
    var priced = status.conditions().get(0);
    assertThat(priced.getType()).isEqualTo("Priced");
    assertThat(priced.getStatus()).isEqualTo("False");
    assertThat(priced.getReason()).isEqualTo("MissingFigure");
    assertThat(priced.getMessage()).contains("bare").contains("x9.mega");
  }

  /** Issue 17 item 8: no pods yet is "not running", not "priced" with MSF for parallelism 0. */
  @Test
  void aDeploymentWithNoPodsYetIsNotRunningWithoutMsfFigureOrSavings() throws Exception {
    var d = deployment("{\"taskmanager.numberOfTaskSlots\":\"2\"}", 4);
    var pending = List.of(pod("jm", Component.JOB_MANAGER, null));

    var o = LiveObservation.of(d, pending, List.of(), "us-east-1", CATALOG, OPTIONS, 0);
    var status = LiveReportStatus.build(o, Ledger.begin(T0, o.rate()), T0, null);

    var priced = status.conditions().get(0);
    assertThat(priced.getStatus()).isEqualTo("False");
    assertThat(priced.getReason()).isEqualTo("NotRunning");
    assertThat(priced.getMessage()).startsWith("not running").doesNotContain("parallelism 0");
    assertThat(status.managedUsdPerHour()).isNull();
    assertThat(status.managedUsdPerMonth()).isNull();
    assertThat(status.savingsPercent()).isNull();
    // Issue 17 item 9: nothing runs, so no share of the control plane either: it is carried by
    // the deployments that run.
    assertThat(status.selfManagedUsdPerHour()).isEqualTo("0.000000");
    assertThat(status.clusterSharedBy()).isZero();
    assertThat(status.clusterUsdPerHour()).isEqualTo("0.100000");
  }

  /** Issue 17 item 9: the control plane, in equal parts among the deployments that run. */
  @Test
  void theClusterFixedCostIsSharedEquallyByTheRunningDeployments() throws Exception {
    var d = deployment("{\"taskmanager.numberOfTaskSlots\":\"2\"}", 4);
    var nodes = List.of(node("spot-1", "m5.xlarge", "SPOT", "us-east-1"));
    var pods = List.of(pod("tm-1", Component.TASK_MANAGER, "spot-1"));
    var region = CATALOG.region("us-east-1");

    var alone = LiveObservation.of(d, pods, nodes, "us-east-1", CATALOG, OPTIONS, 0);
    var withSix = LiveObservation.of(d, pods, nodes, "us-east-1", CATALOG, OPTIONS, 6);
    var notRunning =
        LiveObservation.of(
            d,
            List.of(pod("tm-1", Component.TASK_MANAGER, null)),
            nodes,
            "us-east-1",
            CATALOG,
            OPTIONS,
            6);

    BigDecimal controlPlane = region.eksControlPlaneHour().value();
    assertThat(alone.clusterSharedBy()).isEqualTo(1);
    assertThat(withSix.clusterSharedBy()).isEqualTo(7);
    assertThat(notRunning.clusterSharedBy()).isZero();
    assertThat(
            alone.rate().selfManagedUsdPerHour().subtract(withSix.rate().selfManagedUsdPerHour()))
        .isEqualByComparingTo(
            controlPlane.subtract(
                controlPlane.divide(BigDecimal.valueOf(7), MathContext.DECIMAL64)));
    // Seven reports at one-seventh each: the control plane once, to the micro-dollar.
    var status = LiveReportStatus.build(withSix, Ledger.begin(T0, withSix.rate()), T0, null);
    assertThat(status.clusterShareUsdPerHour()).isEqualTo("0.014286");
    assertThat(status.clusterUsdPerHour()).isEqualTo("0.100000");
    assertThat(
            new BigDecimal(status.clusterShareUsdPerHour())
                .multiply(BigDecimal.valueOf(7))
                .subtract(controlPlane)
                .abs())
        .isLessThanOrEqualTo(new BigDecimal("0.000007"));
  }

  /** Issue 17 item 10: an unpriced TaskManager would flatter self-managed: no savings then. */
  @Test
  void noSavingsWhileATaskManagerIsUnpriced() throws Exception {
    var d = deployment("{\"taskmanager.numberOfTaskSlots\":\"2\"}", 4);
    var nodes =
        List.of(
            node("spot-1", "m5.xlarge", "SPOT", "us-east-1"),
            node("flex", "m7i-flex.xlarge", "SPOT", "us-east-1"));
    var pods =
        List.of(
            pod("jm", Component.JOB_MANAGER, "spot-1"),
            pod("tm-1", Component.TASK_MANAGER, "spot-1"),
            pod("tm-2", Component.TASK_MANAGER, "flex"));

    var o = LiveObservation.of(d, pods, nodes, "us-east-1", CATALOG, OPTIONS, 0);
    var status = LiveReportStatus.build(o, Ledger.begin(T0, o.rate()), T0, null);

    assertThat(o.rate()).isNotNull(); // the priced pods still have a (partial) figure
    assertThat(status.managedUsdPerHour()).isNotNull();
    assertThat(status.savingsPercent()).isNull();
    var priced = status.conditions().get(0);
    assertThat(priced.getStatus()).isEqualTo("False");
    assertThat(priced.getReason()).isEqualTo("MissingFigure");
    assertThat(priced.getMessage())
        .contains("m7i-flex.xlarge")
        .contains("no savings shown")
        .contains("flinkspot prices refresh")
        .doesNotContain("m5.large");

    var allPriced =
        LiveObservation.of(d, pods.subList(0, 2), nodes, "us-east-1", CATALOG, OPTIONS, 0);
    assertThat(
            LiveReportStatus.build(allPriced, Ledger.begin(T0, allPriced.rate()), T0, null)
                .savingsPercent())
        .isNotNull();
  }

  @Test
  void aRegionWithoutPricesIsNamedNotGuessed() throws Exception {
    var d = deployment("{}", null);
    var pods = List.of(pod("tm-1", Component.TASK_MANAGER, "n"));

    var unknown =
        LiveObservation.of(
            d,
            pods,
            List.of(node("n", "m5.xlarge", "SPOT", "mars-1")),
            "us-east-1",
            CATALOG,
            OPTIONS,
            0);
    assertThat(unknown.rate()).isNull();
    assertThat(unknown.missing())
        .singleElement()
        .asString()
        .contains("mars-1")
        .contains("--prices");

    String bare =
        CATALOG.knownRegions().stream()
            .filter(r -> !CATALOG.regions().containsKey(r))
            .findFirst()
            .orElseThrow();
    var unpriced =
        LiveObservation.of(
            d,
            pods,
            List.of(node("n", "m5.xlarge", "SPOT", bare)),
            "us-east-1",
            CATALOG,
            OPTIONS,
            0);
    assertThat(unpriced.rate()).isNull();
    assertThat(unpriced.missing())
        .singleElement()
        .asString()
        .contains("regions." + bare)
        .contains("--prices");
    var status = LiveReportStatus.build(unpriced, Ledger.begin(T0, null), T0, null);
    assertThat(status.selfManagedUsdPerHour()).isNull();
    assertThat(status.conditions().get(0).getStatus()).isEqualTo("False");
  }

  @Test
  void theLedgerChargesEachIntervalAtTheRateInEffectDuringIt() {
    RunRate first = new RunRate(new BigDecimal("0.30"), new BigDecimal("1.20"), 4, 2, 1, List.of());
    RunRate second =
        new RunRate(new BigDecimal("0.60"), new BigDecimal("2.40"), 8, 4, 2, List.of());

    Ledger ledger = Ledger.begin(T0, first);
    ledger = ledger.advance(T0.plus(Duration.ofMinutes(90)), second); // 1.5 h at the first rate
    ledger = ledger.advance(T0.plus(Duration.ofMinutes(110)), second); // 20 min at the second

    // 20 min = 1/3 h: exact to DECIMAL64's 16 digits.
    var tolerance = org.assertj.core.data.Offset.offset(new BigDecimal("1e-12"));
    assertThat(ledger.totals().selfManagedUsd()).isCloseTo(new BigDecimal("0.65"), tolerance);
    assertThat(ledger.totals().managedUsd()).isCloseTo(new BigDecimal("2.60"), tolerance);
    assertThat(ledger.since()).isEqualTo(T0);
  }

  @Test
  void aResumedLedgerCarriesOnFromTheWrittenStatus() {
    RunRate rate = new RunRate(new BigDecimal("0.30"), new BigDecimal("1.20"), 4, 2, 1, List.of());
    Ledger before = Ledger.begin(T0, rate).advance(T0.plus(Duration.ofHours(2)), rate);
    var o = running(rate, 1);
    var written = LiveReportStatus.build(o, before, T0.plus(Duration.ofHours(2)), null);

    Ledger resumed = Ledger.resume(written, T0.plus(Duration.ofHours(3)));
    resumed = resumed.advance(T0.plus(Duration.ofHours(3)), rate);

    assertThat(resumed.since()).isEqualTo(T0);
    assertThat(resumed.totals())
        .isEqualTo(new Totals(new BigDecimal("0.900000"), new BigDecimal("3.600000")));
  }

  @Test
  void statusFiguresAndAnUnchangedStatusIsEqualApartFromTheClock() {
    RunRate rate = new RunRate(new BigDecimal("0.30"), new BigDecimal("1.20"), 4, 2, 1, List.of());
    var o = running(rate, 1);
    Ledger ledger = Ledger.begin(T0, rate);
    var first = LiveReportStatus.build(o, ledger, T0, null);
    Instant later = T0.plus(Duration.ofMinutes(10));
    var second = LiveReportStatus.build(o, ledger.advance(later, rate), later, first);

    assertThat(first.selfManagedUsdPerMonth()).isEqualTo("219.00");
    assertThat(first.managedUsdPerMonth()).isEqualTo("876.00");
    assertThat(first.savingsPercent()).isEqualTo("75.0");
    assertThat(first.spotSharePercent()).isEqualTo("50.0");
    assertThat(second.accumulatedSelfManagedUsd()).isEqualTo("0.050000");
    assertThat(second).isNotEqualTo(first);
    assertThat(second.withoutProgress()).isEqualTo(first.withoutProgress());
    assertThat(second.conditions().get(0).getLastTransitionTime())
        .isEqualTo(first.conditions().get(0).getLastTransitionTime());
    var moved = running(rate, 2);
    assertThat(LiveReportStatus.build(moved, ledger, later, first).withoutProgress())
        .isNotEqualTo(first.withoutProgress());
  }

  /**
   * Issue 17 item 11: a closed period keeps its totals; reopened, it is carried in closedPeriods;
   * past the cap the two oldest merge with their totals added, so no dollar is dropped.
   */
  @Test
  void closedPeriodsAreCarriedAndMergedWithoutLosingTotals() {
    RunRate rate = new RunRate(new BigDecimal("0.30"), new BigDecimal("1.20"), 4, 2, 1, List.of());
    var o = running(rate, 1);
    Instant t = T0;
    FlinkCostReportStatus status = null;
    BigDecimal total = BigDecimal.ZERO;
    int periods = LiveReportStatus.MAX_CLOSED_PERIODS + 3;
    for (int i = 0; i < periods; i++) {
      Ledger ledger = Ledger.begin(t, rate);
      status = LiveReportStatus.build(o, ledger, t, status); // opens a new period
      t = t.plus(Duration.ofHours(1));
      status = LiveReportStatus.close(status, ledger.advance(t, null), "policy deleted");
      assertThat(status.closed()).isEqualTo(t.toString());
      assertThat(status.accumulatedSelfManagedUsd()).isEqualTo("0.300000");
      total = total.add(new BigDecimal(status.accumulatedSelfManagedUsd()));
    }
    var reopened = LiveReportStatus.build(o, Ledger.begin(t, rate), t, status);

    assertThat(reopened.closed()).isNull();
    assertThat(reopened.closedPeriods()).hasSize(LiveReportStatus.MAX_CLOSED_PERIODS);
    assertThat(reopened.closedPeriods().get(0).since()).isEqualTo(T0.toString());
    assertThat(reopened.closedPeriods().get(0).accumulatedSelfManagedUsd()).isEqualTo("1.200000");
    assertThat(
            reopened.closedPeriods().stream()
                .map(p -> new BigDecimal(p.accumulatedSelfManagedUsd()))
                .reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(total);
    assertThat(reopened.closedPeriods().get(LiveReportStatus.MAX_CLOSED_PERIODS - 1))
        .isEqualTo(FlinkCostReportStatus.ClosedPeriod.of(status));
  }

  @Test
  void flinkPodsAreRecognisedByTheOperatorsLabels() {
    var tm =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("ticker-taskmanager-1-1")
            .withLabels(
                Map.of(
                    "app", "ticker", "component", "taskmanager", "type", "flink-native-kubernetes"))
            .endMetadata()
            .withNewSpec()
            .withNodeName("spot-1")
            .addNewContainer()
            .withName("flink-main-container")
            .withNewResources()
            .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1750m"))
            .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("7Gi"))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    assertThat(FlinkPods.deploymentOf(tm)).contains("ticker");
    assertThat(FlinkPods.observe(tm))
        .contains(
            new ObservedPod(
                "ticker-taskmanager-1-1",
                Component.TASK_MANAGER,
                new BigDecimal("1.750"),
                7L << 30,
                "spot-1"));
    tm.getMetadata().getLabels().put("type", "something-else");
    assertThat(FlinkPods.observe(tm)).isEmpty();
    tm.getMetadata().getLabels().put("type", "flink-standalone-kubernetes");
    tm.getMetadata().getLabels().put("component", "jobmanager");
    assertThat(FlinkPods.observe(tm).orElseThrow().component()).isEqualTo(Component.JOB_MANAGER);
    tm.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed").build());
    assertThat(FlinkPods.observe(tm)).isEmpty();
  }
}
