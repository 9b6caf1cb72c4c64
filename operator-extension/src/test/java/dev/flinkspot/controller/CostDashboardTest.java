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
    assertThat(scraped(registry)).containsExactlyInAnyOrderElementsOf(CostMetrics.EXPORTED);
    assertThat(registry.scrape()).contains("deployment=\"ticker\"").contains("namespace=\"flink\"");
    // The Spot-notice panels: series the loop registers at zero from the start.
    NoticeMetrics.register(registry);
    assertThat(used)
        .contains(
            "flinkspot_spot_notices_total", "flinkspot_notice_to_replacement_ready_seconds_bucket");
    assertThat(scraped(registry)).containsAll(used);
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
