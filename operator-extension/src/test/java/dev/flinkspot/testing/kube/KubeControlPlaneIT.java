package dev.flinkspot.testing.kube;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubeControlPlaneIT {

  /** The next failed start names its cause: the API server's own last words are in the message. */
  @Test
  void aControlPlaneThatCannotStartSaysWhyInItsFailure() {
    var builder =
        KubeControlPlane.builder()
            .apiServerFlag("--no-such-flag=1")
            .startupTimeout(Duration.ofSeconds(5));

    assertThatThrownBy(builder::start)
        .hasMessageContaining(
            "kube-apiserver did not start: Kube API Server did not start properly")
        .hasMessageContaining("ms of a 5000 ms timeout")
        .hasMessageContaining("unknown flag: --no-such-flag");
  }
}
