package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.kube.Names;
import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.testing.kube.RepoRoot;
import dev.flinkspot.testing.kube.TestControllerConfig;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules shipped with the chart (charts/flinkspot/files/flinkspot-alerts.rules.yaml) query
 * only flinkspot series the controller really exports, as CostDashboardTest checks for the Grafana
 * dashboard; and every alert carries the labels and annotations its receivers rely on. (promtool
 * checks and unit-tests the same file: PrometheusAlertRulesIT.)
 */
class AlertRuleSeriesTest {
  static final String RULES = "charts/flinkspot/files/flinkspot-alerts.rules.yaml";
  private static final Pattern METRIC = Pattern.compile("\\bflinkspot_[a-z0-9_]+");

  @Test
  void everyFlinkspotSeriesAnAlertQueriesIsScrapedFromTheController() throws Exception {
    Set<String> used = new TreeSet<>();
    for (JsonNode rule : rules()) {
      Matcher m = METRIC.matcher(rule.path("expr").asText());
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).hasSizeGreaterThanOrEqualTo(6);
    assertThat(scrapedSeries()).containsAll(used);
  }

  @Test
  void everyAlertHasASeverityASummaryADescriptionAndARunbook() throws Exception {
    List<JsonNode> rules = rules();
    assertThat(rules).hasSizeGreaterThanOrEqualTo(7);
    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      assertThat(alert).as("a recording rule in the alert file").isNotEmpty();
      assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("critical", "warning");
      for (String annotation : List.of("summary", "description", "runbook")) {
        assertThat(rule.at("/annotations/" + annotation).asText())
            .as(alert + " " + annotation)
            .hasSizeGreaterThan(20);
      }
    }
  }

  static List<JsonNode> rules() throws Exception {
    JsonNode file = new YAMLMapper().readTree(Files.readString(RepoRoot.find().resolve(RULES)));
    List<JsonNode> rules = new ArrayList<>();
    file.path("groups").forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  /**
   * Series names as Prometheus scrapes them from a controller with one HPA and one report of a
   * deployment with warm spares.
   */
  private static Set<String> scrapedSeries() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Constructing the runtime registers its own gauges (flinkspot_leader); nothing connects.
    var client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build();
    new ControllerRuntime(
        client,
        TestControllerConfig.of(true, false).build(),
        registry,
        Clock.systemUTC(),
        Loops.standard(null));
    new CostMetrics(registry).update("flink", "ticker", CostDashboardTest.withSpares(0.04));
    new SpareMetrics(registry).update(CostDashboardTest.spareDeployment(), "ticker");
    new HpaMetrics(registry)
        .update(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withNamespace("flink")
                .withName("ticker")
                .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY)
                .addToLabels(HpaSpecs.DEPLOYMENT_LABEL, "ticker")
                .endMetadata()
                .withNewSpec()
                .withMaxReplicas(10)
                .endSpec()
                .withNewStatus()
                .withCurrentReplicas(2)
                .withDesiredReplicas(3)
                .endStatus()
                .build());
    client.close();
    Set<String> scraped = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        scraped.add(line.split("[{ ]")[0]);
      }
    }
    return scraped;
  }
}
