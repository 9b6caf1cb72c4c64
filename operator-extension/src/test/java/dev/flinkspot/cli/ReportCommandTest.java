package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportSpec;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code flinkspot report} output contract (mock server: CLI logic only, not cluster behaviour).
 */
@EnableKubernetesMockClient(crud = true)
class ReportCommandTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @AfterEach
  void reset() {
    ReportCommand.clients = () -> new KubernetesClientBuilder().build();
  }

  private void report(String ns, String name, String priced) {
    report(ns, name, priced, null, "47.3");
  }

  private void report(String ns, String name, String priced, String reason, String savings) {
    report(ns, name, priced, reason, savings, null);
  }

  private void report(
      String ns,
      String name,
      String priced,
      String reason,
      String savings,
      FlinkCostReportStatus.SpareLine spares) {
    var r = new FlinkCostReport();
    r.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    r.setSpec(new FlinkCostReportSpec(name));
    r.setStatus(
        new FlinkCostReportStatus(
            "us-east-1",
            4,
            "0.304400",
            "0.577397",
            "222.21",
            "421.50",
            savings,
            "1.250000",
            "2.500000",
            2,
            1,
            "50.0",
            List.of(),
            "2025-01-01T00:00:00Z",
            "2025-01-01T01:00:00Z",
            List.of(
                new ConditionBuilder()
                    .withType("Priced")
                    .withStatus(priced)
                    .withReason(reason)
                    .withMessage("node bare has no node.kubernetes.io/instance-type label")
                    .build()),
            null,
            null,
            "0.100000",
            2,
            "0.050000",
            null,
            null,
            spares,
            null));
    client.resources(FlinkCostReport.class).inNamespace(ns).resource(r).create();
  }

  /** Issue 17 items 8 and 10: a report without savings prints none, and says "not running". */
  @Test
  void aReportWithoutSavingsPrintsNoneAndNotRunningSaysSo() throws Exception {
    report("flink", "ticker", "False", "NotRunning", null);
    ReportCommand.clients =
        () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();

    var table = CliRun.of("report", "-n", "flink");
    assertThat(table.exitCode()).isZero();
    String row = table.out().lines().toList().get(1);
    assertThat(row.split("\\s+")[4]).isEqualTo("-"); // SAVINGS %
    assertThat(row).contains("NotRunning");

    var json =
        new ObjectMapper().readTree(CliRun.of("report", "-n", "flink", "--format", "json").out());
    var first = json.path("reports").get(0);
    assertThat(first.path("savingsPercent").isNull()).isTrue();
    assertThat(first.path("reason").asText()).isEqualTo("NotRunning");
  }

  /** Issue 17 item 11: a closed report prints Closed with its final totals. */
  @Test
  void aClosedReportPrintsClosedWithItsTotals() throws Exception {
    report("flink", "ticker", "False", "Closed", null);
    ReportCommand.clients =
        () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();

    String row = CliRun.of("report", "-n", "flink").out().lines().toList().get(1);

    assertThat(row).contains("Closed").endsWith("1.25 / 2.50");
  }

  @Test
  void tableJsonAndHtmlOfAllNamespaces() throws Exception {
    report("flink", "ticker", "True");
    report("team-b", "orders", "False");
    ReportCommand.clients =
        () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();

    var table = CliRun.of("report", "-A");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out().lines().toList())
        .hasSize(4)
        .satisfies(
            l -> assertThat(l.get(1)).contains("flink").contains("ticker").contains("222.21"))
        .satisfies(l -> assertThat(l.get(2)).contains("team-b").contains("False"))
        // Issue 17 item 9: the control plane is told once for the cluster, with its share rule.
        .satisfies(
            l ->
                assertThat(l.get(3))
                    .contains("$0.100000/h, counted once")
                    .contains("equal parts by 2 running governed deployments")
                    .contains("$0.050000/h each"));

    var json = CliRun.of("report", "-A", "--format", "json");
    var tree = new ObjectMapper().readTree(json.out());
    var first = tree.path("reports").get(0);
    assertThat(first.path("name").asText()).isEqualTo("ticker");
    assertThat(first.path("selfManaged").path("usdPerMonth").decimalValue())
        .isEqualByComparingTo("222.21");
    assertThat(first.path("managed").path("accumulatedUsd").decimalValue())
        .isEqualByComparingTo("2.5");
    assertThat(first.path("priced").asBoolean()).isTrue();
    assertThat(tree.path("reports").get(1).path("message").asText()).contains("bare");
    assertThat(tree.path("cluster").path("fixedUsdPerHour").decimalValue())
        .isEqualByComparingTo("0.1");
    assertThat(tree.path("cluster").path("sharedBy").asInt()).isEqualTo(2);
    assertThat(first.path("clusterShareUsdPerHour").decimalValue()).isEqualByComparingTo("0.05");

    var html = CliRun.of("report", "-n", "flink", "--format", "html");
    assertThat(html.out()).contains("<!DOCTYPE html>").contains("ticker").doesNotContain("orders");
    assertThat(html.out()).doesNotContain("<script src=");
  }

  /** Issue 12 item 3: the warm spares' own line in the table, the JSON and the HTML page. */
  @Test
  void theWarmSparesHaveTheirOwnLine() throws Exception {
    report(
        "flink",
        "ticker",
        "True",
        null,
        "47.3",
        new FlinkCostReportStatus.SpareLine(1, 1, "0.040320", "29.43"));
    report("flink", "plain", "True");
    ReportCommand.clients =
        () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();

    var lines = CliRun.of("report", "-n", "flink").out().lines().toList();
    assertThat(lines.get(0)).contains("SPOT %  SPARES $/MO");
    // Rows sorted by name: plain, then ticker; the eighth cell is SPARES $/MO.
    assertThat(lines.get(1).split("\\s+")[7]).isEqualTo("-");
    assertThat(lines.get(2).split("\\s+")[7]).isEqualTo("29.43");
    assertThat(lines.get(2).split("\\s+")[5]).as("TaskManagers unchanged").isEqualTo("2");

    var json =
        new ObjectMapper().readTree(CliRun.of("report", "-n", "flink", "--format", "json").out());
    var plain = json.path("reports").get(0);
    var ticker = json.path("reports").get(1);
    assertThat(plain.path("spares").isNull()).isTrue();
    assertThat(ticker.path("spares").path("pods").asInt()).isEqualTo(1);
    assertThat(ticker.path("spares").path("pending").asInt()).isEqualTo(1);
    assertThat(ticker.path("spares").path("usdPerMonth").decimalValue())
        .isEqualByComparingTo("29.43");
    assertThat(ticker.path("taskManagers").asInt()).isEqualTo(2);

    assertThat(CliRun.of("report", "-n", "flink", "--format", "html").out())
        .contains("Warm spares $/month");
  }

  @Test
  void unreachableClusterIsOneLineExitTwo() {
    ReportCommand.clients =
        () ->
            new KubernetesClientBuilder()
                .withConfig(
                    new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl("https://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    var run = CliRun.of("report", "-A");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .contains("cannot reach")
        .contains("127.0.0.1:1");
  }

  @Test
  void crdNotInstalledIsOneLineExitTwo() {
    server
        .expect()
        .get()
        .withPath("/apis/flinkspot.dev/v1alpha1/flinkcostreports")
        .andReturn(404, "")
        .always();
    ReportCommand.clients =
        () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    var run = CliRun.of("report", "-A");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("does not serve FlinkCostReports");
  }
}
