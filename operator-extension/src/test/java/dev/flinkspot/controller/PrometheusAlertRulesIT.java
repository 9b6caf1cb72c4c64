package dev.flinkspot.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.GoTool;
import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules with the real promtool (built from the Prometheus module by
 * tools/prometheus): they pass {@code promtool check rules}, and {@code promtool test rules} runs a
 * firing and a quiet case of every alert on synthetic input series.
 */
class PrometheusAlertRulesIT {
  static final String TESTS =
      "operator-extension/src/test/resources/monitoring/flinkspot-alerts.test.yaml";

  @Test
  void theRulesPassPromtoolCheck() throws Exception {
    CommandResult result = GoTool.PROMTOOL.run("check", "rules", AlertRuleSeriesTest.RULES);
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.stdout() + result.stderr())
        .contains("SUCCESS: " + AlertRuleSeriesTest.rules().size() + " rules found");
  }

  @Test
  void everyAlertFiresOnItsCaseAndStaysQuietOnTheOther(@TempDir Path dir) throws Exception {
    Path root = RepoRoot.find();
    Files.copy(root.resolve(AlertRuleSeriesTest.RULES), dir.resolve("flinkspot-alerts.rules.yaml"));
    Path tests = Files.copy(root.resolve(TESTS), dir.resolve("flinkspot-alerts.test.yaml"));

    CommandResult result = GoTool.PROMTOOL.run("test", "rules", tests.toString());

    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(testedAlerts(tests)).containsExactlyElementsOf(alerts());
  }

  @Test
  void aRuleThatDoesNotParseFailsTheCheck(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.rules.yaml");
    Files.writeString(
        broken,
        Files.readString(RepoRoot.find().resolve(AlertRuleSeriesTest.RULES))
            .replace("(sum(flinkspot_leader) or vector(0)) < 1", "sum(flinkspot_leader) <"));
    CommandResult result = GoTool.PROMTOOL.run("check", "rules", broken.toString());
    assertThat(result.ok()).isFalse();
    assertThat(result.stdout() + result.stderr()).contains("FlinkspotControllerNotLeading");
  }

  private static Set<String> alerts() throws Exception {
    Set<String> names = new TreeSet<>();
    AlertRuleSeriesTest.rules().forEach(r -> names.add(r.path("alert").asText()));
    return names;
  }

  private static Set<String> testedAlerts(Path tests) throws Exception {
    Set<String> names = new TreeSet<>();
    for (JsonNode test : new YAMLMapper().readTree(Files.readString(tests)).path("tests")) {
      for (JsonNode alertTest : test.path("alert_rule_test")) {
        if (!alertTest.path("exp_alerts").isEmpty()) {
          names.add(alertTest.path("alertname").asText());
        }
      }
    }
    return names;
  }
}
