package dev.flinkspot.controller;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportSpec;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import dev.flinkspot.cost.live.FlinkPods;
import dev.flinkspot.cost.live.LiveObservation;
import dev.flinkspot.cost.live.ObservedNode;
import dev.flinkspot.cost.live.ReportWritePolicy;
import dev.flinkspot.kube.EventRecorder;
import dev.flinkspot.kube.Names;
import dev.flinkspot.kube.OwnerReferences;
import dev.flinkspot.kube.Write;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.testing.kube.TestPods;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cost-report reconciler's ownership and ledger branches on the mock API server (the same
 * branches run on a real kube-apiserver in CostReportIT): a report not ours is left alone, ours of
 * an earlier deployment of the same name is deleted, ours of a deployment that left its policy is
 * closed with its totals, and a report written before a restart resumes its ledger.
 */
@EnableKubernetesMockClient(crud = true)
class CostReportReconcilerTest {

  static final String NS = "flink";
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  KubernetesClient client;

  private final StaticPolicyLookup policies =
      new StaticPolicyLookup().put(NS, "spot-taskmanagers", spec(SPOT_TASKMANAGERS));

  private CostReportReconciler reconciler(Instant now) {
    return reconciler(now, (target, reason, message) -> {});
  }

  private CostReportReconciler reconciler(Instant now, EventRecorder events) {
    return reconciler(Clock.fixed(now, ZoneOffset.UTC), events);
  }

  /** A clock the test moves. */
  private static Clock clock(AtomicReference<Instant> now) {
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  private CostReportReconciler reconciler(Clock clock, EventRecorder events) {
    var settings =
        new CostReportSettings(
            CatalogLoader.builtIn(),
            CostOptions.defaults(),
            "us-east-1",
            new ReportWritePolicy(Duration.ofMinutes(5), Duration.ofSeconds(10)));
    return new CostReportReconciler(
        new Writer(client),
        settings,
        policies,
        events,
        new CostMetrics(new SimpleMeterRegistry()),
        clock,
        new NoticeCounts(Duration.ofMinutes(10)).reports);
  }

  private static GenericKubernetesResource deployment(String uid, boolean governed) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(Names.FLINK_DEPLOYMENT_API_VERSION)
        .withKind(Names.FLINK_DEPLOYMENT_KIND)
        .withMetadata(
            new ObjectMetaBuilder()
                .withName("ticker")
                .withNamespace(NS)
                .withUid(uid)
                .withLabels(
                    governed ? Map.of(FlinkSpotPolicy.POLICY_LABEL, "spot-taskmanagers") : Map.of())
                .build())
        .withAdditionalProperties(Map.of("spec", Map.of("flinkVersion", "v1_20")))
        .build();
  }

  private static List<Pod> pods() {
    return List.of(
        pod("ticker-jm", FlinkPods.JOB_MANAGER, "od-1"),
        pod("ticker-tm", FlinkPods.TASK_MANAGER, "spot-1"));
  }

  private static Pod pod(String name, String component, String node) {
    Pod p = TestPods.flink(NS, name, "ticker", component, FlinkPods.STANDALONE, node, "1", "2Gi");
    p.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    return p;
  }

  private static Node node(String name) {
    return node(name, "m5.xlarge");
  }

  private static Node node(String name, String instanceType) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(
            Map.of(
                ObservedNode.INSTANCE_TYPE,
                instanceType,
                ObservedNode.EKS_CAPACITY,
                name.startsWith("spot") ? "SPOT" : "ON_DEMAND",
                LiveObservation.REGION,
                "us-east-1"))
        .endMetadata()
        .build();
  }

  private CostReportReconciler.Result reconcile(
      CostReportReconciler r, GenericKubernetesResource d, FlinkCostReport report) {
    return r.reconcile(NS, "ticker", d, report, pods(), CostReportReconcilerTest::node, 0);
  }

  private FlinkCostReport stored() {
    return client.resources(FlinkCostReport.class).inNamespace(NS).withName("ticker").get();
  }

  private FlinkCostReport existing(boolean ours, String ownerUid) {
    var report = new FlinkCostReport();
    var meta = new ObjectMetaBuilder().withName("ticker").withNamespace(NS);
    if (ours) {
      meta.addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    }
    if (ownerUid != null) {
      meta.withOwnerReferences(OwnerReferences.flinkDeployment("ticker", ownerUid));
    }
    report.setMetadata(meta.build());
    report.setSpec(new FlinkCostReportSpec("ticker"));
    return client.resources(FlinkCostReport.class).resource(report).create();
  }

  @Test
  void aGovernedDeploymentGetsAReportOwnedByItWithItsFigures() {
    var result = reconcile(reconciler(T0), deployment("uid-1", true), null);

    assertThat(result.write()).isEqualTo(Write.CREATED);
    FlinkCostReport report = stored();
    assertThat(report.getMetadata().getLabels())
        .containsEntry(Names.MANAGED_BY_LABEL, Names.MANAGED_BY);
    assertThat(report.getMetadata().getOwnerReferences())
        .containsExactly(OwnerReferences.flinkDeployment("ticker", "uid-1"));
    assertThat(report.getStatus()).isNotNull();
    assertThat(report.getStatus().taskManagers()).isEqualTo(1);
    assertThat(report.getStatus().since()).isEqualTo(T0.toString());
  }

  /** Issue 17 item 8: no pods yet is "not running", and no CostNotPriced Event. */
  @Test
  void aDeploymentWithoutPodsIsReportedNotRunningWithoutSavings() {
    List<String> events = new ArrayList<>();
    reconciler(T0, (target, reason, message) -> events.add(reason + ": " + message))
        .reconcile(NS, "ticker", deployment("uid-1", true), null, List.of(), n -> null, 0);

    var status = stored().getStatus();
    assertThat(status.conditions().get(0).getStatus()).isEqualTo("False");
    assertThat(status.conditions().get(0).getReason()).isEqualTo("NotRunning");
    assertThat(status.managedUsdPerMonth()).isNull();
    assertThat(status.savingsPercent()).isNull();
    assertThat(events).isEmpty();
  }

  /** Issue 17 item 10: an unknown node type: no savings, an Event naming only that type. */
  @Test
  void aTaskManagerOnAnUnknownTypeHidesSavingsAndTheEventNamesOnlyThatType() {
    List<String> events = new ArrayList<>();
    Node flex = node("spot-1", "m7i-flex.xlarge");
    reconciler(T0, (target, reason, message) -> events.add(reason + ": " + message))
        .reconcile(
            NS,
            "ticker",
            deployment("uid-1", true),
            null,
            pods(),
            n -> n.equals("spot-1") ? flex : node(n),
            0);

    var status = stored().getStatus();
    assertThat(status.conditions().get(0).getReason()).isEqualTo("MissingFigure");
    assertThat(status.selfManagedUsdPerMonth()).isNotNull(); // the JobManager is still priced
    assertThat(status.savingsPercent()).isNull();
    assertThat(events)
        .singleElement()
        .asString()
        .startsWith("CostNotPriced: ")
        .contains("m7i-flex.xlarge")
        .contains("--prices FILE")
        .contains("flinkspot prices refresh")
        .doesNotContain("m5.large")
        .doesNotContain("c5.");
  }

  @Test
  void aReportThatIsNotOursIsLeftAlone() {
    FlinkCostReport foreign = existing(false, null);

    var result = reconcile(reconciler(T0), deployment("uid-1", true), foreign);

    assertThat(result.write()).isEqualTo(Write.FOREIGN);
    assertThat(result.recheck()).isNull();
    FlinkCostReport after = stored();
    assertThat(after.getStatus()).isNull();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());
  }

  @Test
  void ourReportOfAnEarlierDeploymentOfTheSameNameIsDeletedThenRecreated() {
    FlinkCostReport old = existing(true, "uid-old");
    var reconciler = reconciler(T0);

    var result = reconcile(reconciler, deployment("uid-new", true), old);

    assertThat(result.write()).isEqualTo(Write.DELETED);
    assertThat(result.recheck()).isEqualTo(PlacementLoop.RETRY);
    assertThat(stored()).isNull();
    assertThat(reconcile(reconciler, deployment("uid-new", true), null).write())
        .isEqualTo(Write.CREATED);
    assertThat(stored().getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-new");
  }

  /**
   * Issue 17 item 11: leaving the policy closes our report with its totals and an Event instead of
   * deleting it; governed again, a new period starts and the closed one is kept in closedPeriods.
   */
  @Test
  void ourReportIsClosedWithItsTotalsWhenItsDeploymentLeavesThePolicyAndReopensAsANewPeriod() {
    List<String> events = new ArrayList<>();
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    var reconciler =
        reconciler(clock(now), (target, reason, message) -> events.add(reason + ": " + message));
    reconcile(reconciler, deployment("uid-1", true), null);

    now.set(T0.plus(Duration.ofHours(1)));
    var left = reconcile(reconciler, deployment("uid-1", false), stored());

    assertThat(left.write()).isEqualTo(Write.PATCHED);
    var closed = stored().getStatus();
    assertThat(closed.closed()).isEqualTo("2026-01-01T13:00:00Z");
    assertThat(closed.since()).isEqualTo("2026-01-01T12:00:00Z");
    assertThat(new BigDecimal(closed.accumulatedSelfManagedUsd())).isPositive();
    assertThat(new BigDecimal(closed.accumulatedManagedUsd())).isPositive();
    assertThat(closed.selfManagedUsdPerHour()).isNull(); // nothing is charged any more
    assertThat(closed.conditions().get(0).getReason()).isEqualTo("Closed");
    assertThat(events)
        .singleElement()
        .asString()
        .startsWith("CostReportClosed: FlinkCostReport flink/ticker closed")
        .contains("$" + closed.accumulatedSelfManagedUsd())
        .contains("flinkspot report -n flink -o json --output FILE");
    // Closed stays closed, and is not written again.
    now.set(T0.plus(Duration.ofHours(2)));
    assertThat(reconcile(reconciler, deployment("uid-1", false), stored()).write())
        .isEqualTo(Write.UNCHANGED);
    assertThat(events).hasSize(1);

    // Governed again: a new period from now, the old one kept with its totals.
    var back = reconcile(reconciler, deployment("uid-1", true), stored());
    assertThat(back.write()).isEqualTo(Write.PATCHED);
    var reopened = stored().getStatus();
    assertThat(reopened.closed()).isNull();
    assertThat(reopened.since()).isEqualTo("2026-01-01T14:00:00Z");
    assertThat(reopened.accumulatedSelfManagedUsd()).isEqualTo("0.000000");
    assertThat(reopened.closedPeriods())
        .containsExactly(FlinkCostReportStatus.ClosedPeriod.of(closed));
  }

  /** Without its own ledger (a restart), a report closes at its last written time. */
  @Test
  void aRestartedControllerClosesAtTheLastWrittenTimeAndAForeignReportStays() {
    reconcile(reconciler(T0), deployment("uid-1", true), null);

    reconcile(reconciler(T0.plus(Duration.ofHours(3))), deployment("uid-1", false), stored());

    var closed = stored().getStatus();
    assertThat(closed.closed()).isEqualTo(T0.toString());
    assertThat(closed.accumulatedSelfManagedUsd()).isEqualTo("0.000000");
    client.resources(FlinkCostReport.class).inNamespace(NS).withName("ticker").delete();
    FlinkCostReport foreign = existing(false, null);
    assertThat(reconcile(reconciler(T0), deployment("uid-1", false), foreign).write())
        .isEqualTo(Write.FOREIGN);
    assertThat(stored()).isNotNull();
  }

  /** A deleted deployment's report goes (the garbage collector would delete it too). */
  @Test
  void theReportOfADeletedDeploymentIsDeleted() {
    var reconciler = reconciler(T0);
    reconcile(reconciler, deployment("uid-1", true), null);

    var gone = reconciler.reconcile(NS, "ticker", null, stored(), List.of(), n -> null, 0);

    assertThat(gone.write()).isEqualTo(Write.DELETED);
    assertThat(stored()).isNull();
  }

  @Test
  void aRestartedControllerResumesTheLedgerOfTheWrittenStatus() {
    reconcile(reconciler(T0), deployment("uid-1", true), null);
    var written = stored().getStatus();

    // A new reconciler (no memory: a restart or a new leader) an hour later.
    var later = reconciler(T0.plus(Duration.ofHours(1)));
    var result = reconcile(later, deployment("uid-1", true), stored());

    assertThat(result.write()).isEqualTo(Write.PATCHED);
    var resumed = stored().getStatus();
    assertThat(resumed.since()).isEqualTo(written.since()); // carried on, not begun anew
    assertThat(resumed.accumulatedSelfManagedUsd())
        .isGreaterThan(written.accumulatedSelfManagedUsd());
    assertThat(resumed.lastUpdated()).isEqualTo(T0.plus(Duration.ofHours(1)).toString());
  }
}
