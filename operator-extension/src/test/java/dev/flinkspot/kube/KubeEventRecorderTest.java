package dev.flinkspot.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubeEventRecorderTest {

  KubernetesClient client;
  io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

  private static final EventTarget TICKER =
      new EventTarget("flink.apache.org/v1beta1", "FlinkDeployment", "flink", "ticker", "uid-1");

  private KubeEventRecorder recorder() {
    return new KubeEventRecorder(client, "flinkspot-controller", "replica-a", Clock.systemUTC());
  }

  private List<Event> events() {
    return client.v1().events().inNamespace("flink").list().getItems();
  }

  @Test
  void sameDecisionTwiceIsOneEventAndAChangedDecisionIsAnother() {
    var recorder = recorder();

    recorder.record(TICKER, EventReason.PlacementInPlace, "in place");
    recorder.record(TICKER, EventReason.PlacementInPlace, "in place");
    recorder.record(TICKER, EventReason.RepairSkipped, "drifted");

    assertThat(events())
        .extracting(Event::getReason)
        .containsExactlyInAnyOrder("PlacementInPlace", "RepairSkipped");
    Event skipped =
        events().stream()
            .filter(e -> e.getReason().equals("RepairSkipped"))
            .findFirst()
            .orElseThrow();
    assertThat(skipped.getType()).isEqualTo("Warning");
    assertThat(skipped.getInvolvedObject().getUid()).isEqualTo("uid-1");
    assertThat(skipped.getReportingComponent()).isEqualTo("flinkspot-controller");
  }

  @Test
  void anotherReplicaRecordingTheSameDecisionCollidesOnTheNameInsteadOfAddingOne() {
    new KubeEventRecorder(client, "flinkspot-controller", "replica-a", Clock.systemUTC())
        .record(TICKER, EventReason.Placed, "placed");
    new KubeEventRecorder(client, "flinkspot-controller", "replica-b", Clock.systemUTC())
        .record(TICKER, EventReason.Placed, "placed");

    assertThat(events()).hasSize(1);
  }

  @Test
  void severalReasonsPerReconcileAreEachWrittenOnceNotOnEveryPass() {
    var recorder = recorder();
    // One reconcile: a placement decision and two Reactive Mode findings.
    Runnable reconcile =
        () -> {
          recorder.record(TICKER, EventReason.PlacementInPlace, "in place");
          recorder.record(TICKER, EventReason.CheckpointingOff, "no checkpoints");
          recorder.record(TICKER, EventReason.JobParallelismSet, "parallelism 4");
        };
    reconcile.run();
    int requests = server.getRequestCount();

    for (int pass = 0; pass < 3; pass++) {
      reconcile.run();
    }

    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(events()).hasSize(3);
    recorder.record(TICKER, EventReason.JobParallelismSet, "parallelism 8");
    assertThat(events()).hasSize(4);
  }

  @Test
  void aStateThatComesBackAfterAnotherIsRecordedAgainAsACountBump() {
    var recorder = recorder();

    recorder.record(TICKER, EventReason.PolicyNotFound, "no policy");
    recorder.record(TICKER, EventReason.PlacementInPlace, "in place");
    recorder.record(TICKER, EventReason.PolicyNotFound, "no policy");

    assertThat(events()).hasSize(2);
    assertThat(events())
        .filteredOn(e -> e.getReason().equals("PolicyNotFound"))
        .singleElement()
        .satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
  }

  @Test
  void aWriteIsAlwaysRecordedAndAnObservationOfItsStateIsNot() {
    var recorder = recorder();

    recorder.recordAll(
        TICKER, List.of(EventRecorder.Entry.changed(EventReason.Placed, "in place", "written")));
    recorder.recordAll(
        TICKER,
        List.of(EventRecorder.Entry.observed(EventReason.PlacementInPlace, "in place", "there")));
    recorder.recordAll(
        TICKER, List.of(EventRecorder.Entry.changed(EventReason.Placed, "in place", "written")));

    assertThat(events()).extracting(Event::getReason).containsExactly("Placed");
    assertThat(events().get(0).getCount()).as("written twice").isEqualTo(2);
  }

  @Test
  void oneReconcileIsOneNormalEventAndAWarningEachThroughABatch() {
    var recorder = recorder();
    var batch = new EventBatch(recorder);

    batch.recordAll(
        TICKER,
        List.of(EventRecorder.Entry.observed(EventReason.PlacementInPlace, "in place", "placed")));
    batch.record(TICKER, EventReason.CheckpointingOff, "no checkpoints");
    batch.recordAll(
        TICKER,
        List.of(EventRecorder.Entry.changed(EventReason.HpaCreated, "in sync", "HPA created")));
    assertThat(events()).as("nothing before the flush").isEmpty();
    batch.flush();

    assertThat(events())
        .extracting(Event::getReason, Event::getMessage)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("HpaCreated", "placed; HPA created"),
            org.assertj.core.groups.Tuple.tuple("CheckpointingOff", "no checkpoints"));
  }

  @Test
  void aClearedOrSilentlyLeftStateMakesTheSameObservationNewsAgain() {
    var recorder = recorder();

    recorder.record(TICKER, EventReason.CheckpointingOff, "no checkpoints");
    recorder.clear(TICKER, EventReason.CheckpointingOff);
    recorder.record(TICKER, EventReason.CheckpointingOff, "no checkpoints");
    recorder.record(TICKER, EventReason.HpaKept, "kept");
    recorder.recordAll(
        TICKER, List.of(EventRecorder.Entry.silent(EventReason.HpaUpdated, "in sync")));
    recorder.record(TICKER, EventReason.HpaKept, "kept");

    assertThat(events()).hasSize(2);
    assertThat(events()).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(2));
  }

  @Test
  void tenThousandDeploymentsWithThreeSlotsEachAreAllRemembered() {
    var recorder = recorder();
    recorder.record(TICKER, EventReason.CheckpointingOff, "no checkpoints");
    int requests = server.getRequestCount();

    // Placement, HPA and a finding of 10,000 other deployments (states only: nothing posted).
    for (int i = 0; i < 10_000; i++) {
      var other =
          new EventTarget(TICKER.apiVersion(), TICKER.kind(), "flink", "job-" + i, "uid-j" + i);
      recorder.recordAll(
          other,
          List.of(
              EventRecorder.Entry.silent(EventReason.PlacementInPlace, "in place"),
              EventRecorder.Entry.silent(EventReason.HpaUpdated, "in sync"),
              EventRecorder.Entry.silent(EventReason.NotReactive, "not reactive")));
    }
    recorder.record(TICKER, EventReason.CheckpointingOff, "no checkpoints");

    assertThat(server.getRequestCount()).as("still remembered: no Event again").isEqualTo(requests);
  }

  @Test
  void everyReactiveModeFindingHasAnEventReasonOfTheSameName() {
    for (var reason : dev.flinkspot.scaling.Finding.Reason.values()) {
      assertThat(EventReason.valueOf(reason.name()).type()).isEqualTo("Warning");
    }
  }
}
