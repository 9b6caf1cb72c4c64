package dev.flinkspot.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.ControllerServiceAccount;
import dev.flinkspot.testing.kube.KubeControlPlaneExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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
 * that remembers the Events its predecessor wrote does not re-post them (no 409s), and still
 * records a new decision.
 */
class KubeEventRecorderIT {

  @RegisterExtension
  static final KubeControlPlaneExtension KUBE =
      new KubeControlPlaneExtension(
          b -> {},
          kube -> {
            ControllerServiceAccount.applyShippedRbac(kube);
            kube.client()
                .namespaces()
                .resource(
                    new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("flink")
                        .endMetadata()
                        .build())
                .create();
          });

  private static final Pattern EVENT_CONFLICTS =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$", Pattern.MULTILINE);

  @Test
  void aNewLeaderRemembersEarlierEventsInsteadOfRepostingThem() {
    var ticker =
        new EventTarget("flink.apache.org/v1beta1", "FlinkDeployment", "flink", "ticker", "uid-1");
    try (KubernetesClient asController = asServiceAccount()) {
      var first =
          new KubeEventRecorder(asController, "flinkspot-controller", "a", Clock.systemUTC());
      first.record(ticker, EventReason.Placed, "placed");
      first.record(ticker, EventReason.PlacementInPlace, "in place");
      double conflictsBefore = eventConflicts();

      var next =
          new KubeEventRecorder(asController, "flinkspot-controller", "b", Clock.systemUTC());
      assertThat(next.rememberExisting(List.of())).as("Events remembered").isEqualTo(2);
      next.record(ticker, EventReason.Placed, "placed");
      next.record(ticker, EventReason.PlacementInPlace, "in place");
      next.record(ticker, EventReason.PlacementInPlace, "in place, again later");

      assertThat(eventConflicts()).as("409s on Event creation").isEqualTo(conflictsBefore);
      assertThat(KUBE.client().v1().events().inNamespace("flink").list().getItems())
          .extracting(e -> e.getMessage())
          .containsExactlyInAnyOrder("placed", "in place", "in place, again later");
    }
  }

  private static KubernetesClient asServiceAccount() {
    return new KubernetesClientBuilder()
        .withConfig(
            ControllerServiceAccount.impersonating(KUBE.client().getConfiguration()).build())
        .build();
  }

  /** POST events answered 409, from the API server's own request counter. */
  private static double eventConflicts() {
    double sum = 0;
    Matcher m = EVENT_CONFLICTS.matcher(KUBE.client().raw("/metrics"));
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("resource=\"events\"")
          && labels.contains("verb=\"POST\"")
          && labels.contains("code=\"409\"")) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
