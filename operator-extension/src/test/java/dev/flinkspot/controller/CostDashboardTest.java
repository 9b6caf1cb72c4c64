package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.testing.kube.RepoRoot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard in k8s/grafana plots only series the controller really exports. */
class CostDashboardTest {
  private static final Pattern METRIC = Pattern.compile("\\bflinkspot_[a-z0-9_]+");

  @Test
  void everyMetricThePromQlUsesIsScrapedFromTheController() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Files.readString(RepoRoot.find().resolve("k8s/grafana/flinkspot-cost.json")));
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        collect(target.path("expr").asText(), used);
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      collect(variable.path("definition").asText(), used);
    }
    assertThat(used).hasSizeGreaterThanOrEqualTo(5);

    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new CostMetrics(registry)
        .update("flink", "ticker", new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5));
    // Without warm spares, no spare series: nothing for the many deployments that keep none.
    assertThat(scraped(registry)).containsExactlyInAnyOrderElementsOf(CostMetrics.EXPORTED);
    assertThat(registry.scrape()).contains("deployment=\"ticker\"").contains("namespace=\"flink\"");
    // The warm spares' panels: their cost line and the spare Deployment's gauges.
    new CostMetrics(registry).update("flink", "spared", withSpares(0.04));
    new SpareMetrics(registry).update(spareDeployment(), "spared");
    assertThat(used)
        .contains(
            CostMetrics.SPARE_PER_HOUR,
            "flinkspot_spare_pods_desired",
            "flinkspot_spare_pods_ready");
    // The Spot-notice panels: series the loop registers at zero from the start.
    NoticeMetrics.register(registry);
    assertThat(used)
        .contains(
            "flinkspot_spot_notices_total", "flinkspot_notice_to_replacement_ready_seconds_bucket");
    assertThat(scraped(registry)).containsAll(used);
  }

  /** The spare series comes with a deployment's first placeholder and goes with its last. */
  @Test
  void theSpareSeriesExistsOnlyWhileTheDeploymentHasSpares() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metrics = new CostMetrics(registry);
    metrics.update("flink", "ticker", new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5));
    assertThat(registry.scrape()).doesNotContain(CostMetrics.SPARE_PER_HOUR);

    metrics.update("flink", "ticker", withSpares(0.04));
    assertThat(registry.scrape())
        .contains(CostMetrics.SPARE_PER_HOUR + "{deployment=\"ticker\",namespace=\"flink\"} 0.04");

    metrics.update("flink", "ticker", new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5));
    assertThat(registry.scrape()).doesNotContain(CostMetrics.SPARE_PER_HOUR);
    metrics.update("flink", "ticker", withSpares(0.04));
    metrics.remove("flink", "ticker");
    assertThat(registry.scrape()).doesNotContain("ticker");
  }

  static CostMetrics.Figures withSpares(double sparePerHour) {
    return new CostMetrics.Figures(0.34, 1.2, 0.5, 2.0, 2, 0.5, sparePerHour);
  }

  /** A spare Deployment wanting 2 placeholders, 1 ready. */
  static io.fabric8.kubernetes.api.model.apps.Deployment spareDeployment() {
    return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
        .withNewMetadata()
        .withNamespace("flink")
        .withName("spared-flinkspot-spare")
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .endSpec()
        .withNewStatus()
        .withReadyReplicas(1)
        .endStatus()
        .build();
  }

  @Test
  void seriesAreRemovedWithTheDeployment() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var metrics = new CostMetrics(registry);
    metrics.update("flink", "ticker", new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5));
    metrics.update("flink", "other", new CostMetrics.Figures(0.3, 1.2, 0.5, 2.0, 2, 0.5));

    metrics.remove("flink", "ticker");

    assertThat(registry.scrape()).doesNotContain("ticker").contains("deployment=\"other\"");
  }

  private static Set<String> scraped(PrometheusMeterRegistry registry) {
    Set<String> scraped = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        scraped.add(line.split("[{ ]")[0]);
      }
    }
    return scraped;
  }

  private static void collect(String promQl, Set<String> into) {
    Matcher m = METRIC.matcher(promQl);
    while (m.find()) {
      into.add(m.group());
    }
  }
}
