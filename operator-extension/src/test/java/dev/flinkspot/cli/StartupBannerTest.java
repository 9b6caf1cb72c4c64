package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.controller.ControllerConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupBannerTest {

  private static StartupBanner banner(ControllerConfig config, boolean costReports) {
    return new StartupBanner(
        "flinkspot 0.1.0 (commit abc)",
        "https://127.0.0.1:6443/",
        "v1.33.1",
        config,
        costReports ? Duration.ofMinutes(5) : null,
        costReports ? LocalDate.of(2025, 11, 3) : null,
        null,
        "us-east-1",
        "INFO",
        "text");
  }

  @Test
  void aLaptopRunSaysWhatItRunsAgainstAndWhereItListens() {
    var config =
        ControllerConfig.builder()
            .identity("laptop")
            .webhook(false)
            .leaderElection(false)
            .namespaces(List.of("flink", "team-b"))
            .build();

    String text = String.join("\n", banner(config, true).lines());

    assertThat(text)
        .contains("flinkspot 0.1.0 (commit abc) controller starting as laptop")
        .contains("API server https://127.0.0.1:6443/ (Kubernetes v1.33.1)")
        .contains("watching namespaces flink, team-b")
        .contains("listening on 127.0.0.1 (this host only")
        .contains("/healthz and /readyz on port 8090, /metrics on port 8080")
        .doesNotContain("webhook (/mutate)")
        .contains("webhook: off (--no-webhook): nothing is placed, warned or refused at admission")
        .contains("leader election: off (--no-leader-election)")
        .contains("cost reports: on, advanced every 5m; prices as of 2025-11-03 (built-in catalog)")
        .contains("log level INFO (FLINKSPOT_LOG_LEVEL), format text");
  }

  @Test
  void aPodRunNamesTheLeaseTheWebhookAndAllInterfaces() {
    var config = ControllerConfig.builder().bindAddress("0.0.0.0").build();

    String text = String.join("\n", banner(config, false).lines());

    assertThat(text)
        .contains("watching all namespaces")
        .contains("listening on 0.0.0.0: /healthz")
        .contains("the webhook (/mutate) on port 9443")
        .contains("webhook: on; its CA is kept in MutatingWebhookConfiguration flinkspot")
        .contains("Secret flinkspot-system/flinkspot-webhook-tls")
        .contains("leader election: on, Lease flinkspot-system/flinkspot-controller")
        .contains("cost reports: off (--no-cost-reports)");
  }
}
