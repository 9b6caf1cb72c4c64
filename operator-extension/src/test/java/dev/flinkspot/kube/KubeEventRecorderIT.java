package dev.flinkspot.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import dev.flinkspot.testing.kube.TestNamespaces;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real kube-apiserver, as the controller's ServiceAccount with the shipped RBAC: a new leader
 * that remembers the Events its predecessor wrote does not re-post the state they state last (no
 * request at all); a state that comes back after a different one is the same Event again, its count
 * bumped (core/v1 Event series); a new decision is a new Event.
 */
class KubeEventRecorderIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            ControllerServiceAccount.applyShippedRbac(kube);
            TestNamespaces.create(kube.client(), "flink");
          });

  private static final Pattern EVENT_REQUESTS =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$", Pattern.MULTILINE);

  @Test
  void aNewLeaderRemembersTheLastStateAndARecurringStateBumpsItsEvent() {
    var ticker =
        new EventTarget("flink.apache.org/v1beta1", "FlinkDeployment", "flink", "ticker", "uid-1");
    try (KubernetesClient asController = asServiceAccount()) {
      var first =
          new KubeEventRecorder(asController, "flinkspot-controller", "a", Clock.systemUTC());
      first.record(ticker, EventReason.Placed, "placed");
      first.record(ticker, EventReason.PlacementInPlace, "in place");

      var next =
          new KubeEventRecorder(asController, "flinkspot-controller", "b", Clock.systemUTC());
      assertThat(next.rememberExisting(List.of())).as("Events remembered").isEqualTo(2);
      double before = eventRequests();
      next.record(ticker, EventReason.PlacementInPlace, "in place");
      assertThat(eventRequests()).as("Event requests for the last state").isEqualTo(before);

      next.record(ticker, EventReason.Placed, "placed");
      next.record(ticker, EventReason.PlacementInPlace, "in place, again later");

      var events = KUBE.client().v1().events().inNamespace("flink").list().getItems();
      assertThat(events)
          .extracting(e -> e.getMessage())
          .containsExactlyInAnyOrder("placed", "in place", "in place, again later");
      assertThat(events)
          .filteredOn(e -> e.getMessage().equals("placed"))
          .singleElement()
          .satisfies(e -> assertThat(e.getCount()).as("placed, twice").isEqualTo(2));
    }
  }

  @Test
  void aNewLeaderRemembersEventsListedOverSeveralPages() {
    try (KubernetesClient asController = asServiceAccount()) {
      var first =
          new KubeEventRecorder(asController, "flinkspot-controller", "a", Clock.systemUTC());
      List<EventTarget> jobs = new java.util.ArrayList<>();
      for (int i = 0; i < 1_100; i++) {
        var job =
            new EventTarget(
                "flink.apache.org/v1beta1", "FlinkDeployment", "flink", "paged-" + i, "p-" + i);
        jobs.add(job);
        first.record(job, EventReason.PlacementInPlace, "in place");
      }

      var next =
          new KubeEventRecorder(asController, "flinkspot-controller", "b", Clock.systemUTC());
      assertThat(next.rememberExisting(List.of("flink"))).isGreaterThanOrEqualTo(1_100);
      double before = eventRequests();
      jobs.forEach(job -> next.record(job, EventReason.PlacementInPlace, "in place"));
      assertThat(eventRequests()).as("Event requests after a 3-page recall").isEqualTo(before);
    }
  }

  private static KubernetesClient asServiceAccount() {
    return new KubernetesClientBuilder()
        .withConfig(
            ControllerServiceAccount.impersonating(KUBE.client().getConfiguration()).build())
        .build();
  }

  /** Requests on Events (any verb, any code), from the API server's own request counter. */
  private static double eventRequests() {
    double sum = 0;
    Matcher m = EVENT_REQUESTS.matcher(KUBE.client().raw("/metrics"));
    while (m.find()) {
      if (m.group(1).contains("resource=\"events\"")) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
