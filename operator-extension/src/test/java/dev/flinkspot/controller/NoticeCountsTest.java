package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.interruption.counts.InterruptionCounts;
import dev.flinkspot.interruption.counts.NoticeFact;
import dev.flinkspot.kube.Write;
import dev.flinkspot.kube.Writer;
import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.FlinkSpotPolicyStatus;
import dev.flinkspot.policy.PolicyFixtures;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of notices to the status writers: facts wait until the written status covers them;
 * the policy status recorder carries the counts over when nothing new is handed over.
 */
@EnableKubernetesMockClient(crud = true)
class NoticeCountsTest {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  KubernetesClient client;

  @Test
  void factsWaitUntilTheWrittenStatusCoversThem() {
    var counts = new NoticeCounts(WINDOW);
    var notice = new NoticeFact.Notice("ticker", "n1", "karpenter-disrupted", T0);
    // No cost-report loop (--no-cost-reports): its facts are not kept.
    counts.handOver("flink", "spot", notice);
    assertThat(counts.reports.has(new CostReportLoop.Key("flink", "ticker"))).isFalse();

    List<PolicyStatusLoop.Key> woken = new ArrayList<>();
    counts.policies.consumedBy(woken::add);
    counts.handOver("flink", "spot", notice);
    var key = new PolicyStatusLoop.Key("flink", "spot");
    assertThat(woken).containsExactly(key);

    InterruptionCounts folded = counts.policies.fold(key, null);
    assertThat(folded.notices()).isEqualTo(1);
    // Folding again (a retried reconcile) gives the same counts.
    assertThat(counts.policies.fold(key, folded)).isEqualTo(folded);
    // The write failed or was not made: the status still shows none, the fact waits.
    counts.policies.settle(key, null);
    assertThat(counts.policies.has(key)).isTrue();
    counts.policies.settle(key, folded);
    assertThat(counts.policies.has(key)).isFalse();

    counts.handOver("flink", "spot", new NoticeFact.Outcome("ticker", "n1", true, T0));
    counts.policies.drop(key);
    assertThat(counts.policies.has(key)).isFalse();
    assertThat(counts.policies.fold(key, folded)).isSameAs(folded);
  }

  @Test
  void thePolicyStatusKeepsItsCountsWhenAReconcileKnowsNoneAndWritesNothingMore() {
    FlinkSpotPolicy policy =
        new PlacementScenarios(client).createPolicy("spot", PolicyFixtures.SPOT_TASKMANAGERS);
    var writer = new Writer(client);
    var counted =
        InterruptionCounts.NONE.with(
            new NoticeFact.Notice("ticker", "n1", "nth-spot-interruption", T0), WINDOW);
    var status = new FlinkSpotPolicyStatus(1L, List.of(), List.of("ticker"));

    assertThat(new PolicyStatusRecorder(writer, p -> counted).update(policy, status))
        .isEqualTo(Write.PATCHED);
    FlinkSpotPolicy stored = read();
    assertThat(stored.getStatus().getInterruptions()).isEqualTo(counted);

    // A reconcile that knows nothing of notices: the same status, the counts carried, no write.
    var again = new FlinkSpotPolicyStatus(1L, List.of(), List.of("ticker"));
    assertThat(new PolicyStatusRecorder(writer).update(stored, again)).isEqualTo(Write.UNCHANGED);
    assertThat(read().getStatus().getInterruptions()).isEqualTo(counted);
  }

  private FlinkSpotPolicy read() {
    return client
        .resources(FlinkSpotPolicy.class)
        .inNamespace(PlacementScenarios.NS)
        .withName("spot")
        .get();
  }
}
