package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code flinkspot cost} end to end: exit codes, the JSON contract, the HTML file, bad input. */
class CostCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static String example() {
    return RepoRoot.find().resolve("k8s/examples/stock-ticker.yaml").toString();
  }

  @Test
  void theExampleIsComparedInTheDefaultTable() {
    CliRun run = CliRun.of("cost", example());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("flink/stock-ticker — us-east-1, 730 h, parallelism 8")
        .contains(
            "MSF  ",
            "$762.70",
            "self-managed on EKS (dedicated nodes)",
            "$532.68",
            "savings vs MSF")
        .contains("assumptions:");
  }

  @Test
  void jsonCarriesTheDocumentedFields() throws Exception {
    CliRun run = CliRun.of("cost", example(), "--format", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.at("/managed/billedKpus").asInt()).isEqualTo(9);
    assertThat(report.at("/managed/totalUsd").decimalValue()).isEqualByComparingTo("762.70");
    assertThat(report.at("/selfManaged/totalUsd").decimalValue()).isEqualByComparingTo("532.68");
    assertThat(report.at("/savingsUsd").decimalValue()).isEqualByComparingTo("230.02");
    assertThat(report.at("/savingsPercent").decimalValue()).isEqualByComparingTo("30.16");
    assertThat(report.at("/complete").asBoolean()).isTrue();
    assertThat(report.at("/emrOnEks").has("totalUsd")).isTrue();
    assertThat(report.at("/missingFigures").isArray()).isTrue();
    assertThat(report.at("/assumptions").isArray()).isTrue();
    assertThat(report.at("/assumptions").size()).isGreaterThan(3);
    assertThat(report.at("/prices/asOf").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(report.at("/skippedDocuments").size()).isZero();
  }

  @Test
  void optionsChangeTheBill() throws Exception {
    JsonNode week =
        JSON.readTree(
            CliRun.of(
                    "cost",
                    example(),
                    "--format",
                    "json",
                    "--hours",
                    "168",
                    "--parallelism-per-kpu",
                    "2",
                    "--cluster-jobs",
                    "4",
                    "--view",
                    "shared")
                .out());

    assertThat(week.at("/hours").asInt()).isEqualTo(168);
    assertThat(week.at("/managed/billedKpus").asInt()).isEqualTo(5); // ceil(8 / 2) + 1
    assertThat(week.at("/selfManaged/view").asText()).isEqualTo("shared");
    assertThat(week.at("/selfManaged/totalUsd").decimalValue())
        .isEqualByComparingTo(week.at("/selfManaged/shared/totalUsd").decimalValue());
  }

  @Test
  void withoutAFileTheParallelismIsPricedOnTheDefaultShape() throws Exception {
    CliRun run = CliRun.of("cost", "--parallelism", "16", "--format", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.at("/managed/billedKpus").asInt()).isEqualTo(17);
    assertThat(report.at("/taskManagers").asInt()).isEqualTo(8); // 2 slots each
  }

  @Test
  void multiDocumentFilesReportEachDeploymentAndTheSkippedDocuments() throws Exception {
    Path file = Path.of(getClass().getResource("/manifests/multi-document.yaml").toURI());
    CliRun run = CliRun.of("cost", file.toString(), "--parallelism", "4", "--format", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode result = JSON.readTree(run.out());
    assertThat(result.at("/reports")).hasSize(2);
    assertThat(result.at("/reports/0/deployment").asText()).isEqualTo("flink/orders");
    assertThat(result.at("/skippedDocuments/0").asText())
        .isEqualTo("document 1 (Namespace flink): not a FlinkDeployment");
  }

  @Test
  void htmlIsASelfContainedReportWithAChartLibrary() throws Exception {
    Path html = dir.resolve("report.html");
    CliRun run = CliRun.of("cost", example(), "--format", "html", "--output", html.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("wrote html report to " + html + System.lineSeparator());
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("Chart.js v4") // the library's own banner, inlined
        .contains("new Chart(canvas")
        .contains("\"billedKpus\" : 9")
        .doesNotContain("src=\"http");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing file       | cost no-such.yaml                                   | no-such.yaml: no such file: give the path of a FlinkDeployment YAML",
        "no file, no P      | cost                                                | nothing to compare: give a FlinkDeployment manifest FILE or --parallelism N",
        "zero parallelism   | cost --parallelism 0                                | --parallelism = 0: use a positive number",
        "negative hours     | cost --parallelism 2 --hours -5                     | --hours must be a positive number of hours",
        "bad PPK            | cost --parallelism 2 --parallelism-per-kpu 9        | --parallelism-per-kpu = 9: MSF allows 1 to 8",
        "typo region        | cost --parallelism 2 --region us-esat-1             | --region: unknown AWS region 'us-esat-1'",
        "region w/o prices  | cost --parallelism 2 --region us-west-2             | no price for regions.us-west-2.managedFlink.kpuHour, regions.us-west-2.managedFlink.runningStorageGbMonth, regions.us-west-2.ec2.onDemandHour.m5.large,",
        "region w/o MSF     | cost --parallelism 2 --region cn-north-1            | --region cn-north-1: Managed Service for Apache Flink is not sold there",
        "negative shuffle   | cost --parallelism 2 --shuffle-mb-per-s -1          | --shuffle-mb-per-s = -1: use the MB/s your TaskManagers exchange",
        "too many zones     | cost --parallelism 2 --zones 9                      | --zones = 9: use the availability zones TaskManagers spread over, 1 to 6",
        "not a number       | cost --parallelism two                              | Invalid value for option '--parallelism': 'two' is not an int",
        "bad format         | cost --parallelism 2 --format pdf                   | Invalid value for option '--format'",
        "bad prices file    | cost --parallelism 2 --prices nope.yaml             | --prices nope.yaml: no such file",
      })
  void badInputExitsTwoWithOneLineNamingTheFieldAndTheFix(
      String name, String args, String message) {
    CliRun run = CliRun.of(args.trim().split("\\s+"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err())
        .startsWith("flinkspot: ")
        .contains(message)
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void documentsThatAreNotFlinkDeploymentsAreNamed() throws Exception {
    Path file = dir.resolve("cm.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    CliRun run = CliRun.of("cost", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "flinkspot: "
                + file
                + ": no FlinkDeployment (apiVersion flink.apache.org/v1beta1) in it; skipped document 1 (ConfigMap c): not a FlinkDeployment"
                + System.lineSeparator());
  }

  @Test
  void anUnknownInstanceTypeInTheClusterConfigIsNamed() throws Exception {
    Path eksctl = dir.resolve("cluster.yaml");
    Files.writeString(
        eksctl,
        """
        apiVersion: eksctl.io/v1alpha5
        kind: ClusterConfig
        managedNodeGroups:
          - {name: jm, instanceType: m5.large, labels: {flinkspot.dev/pool: jobmanager}}
          - {name: tm, spot: true, instanceTypes: [m5.xlarge, z9.mega], labels: {flinkspot.dev/pool: taskmanager}}
        """);
    CliRun run = CliRun.of("cost", example(), "--eksctl", eksctl.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("flinkspot: unknown instance type 'z9.mega': the catalog knows ")
        .contains("add it under instanceTypes in a --prices file");
  }

  @Test
  void aSessionClusterWithoutParallelismSaysWhatToPass() throws Exception {
    Path file = Path.of(getClass().getResource("/manifests/multi-document.yaml").toURI());
    CliRun run = CliRun.of("cost", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "FlinkDeployment session: no spec.job (a session cluster), so its parallelism is unknown: pass --parallelism N");
  }

  @Test
  void pricesShowListsEveryFigureWithSourceAndDate() {
    CliRun run = CliRun.of("prices", "show", "--region", "us-east-1");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("regions.us-east-1.managedFlink.kpuHour", "0.11", "USD/KPU-hour")
        .contains("regions.us-east-1.ec2.onDemandHour.m5.xlarge", "2026-07-20")
        .contains("regions.us-east-1.ec2.spotDiscount", "Spot Instance Advisor")
        .doesNotContain("regions.eu-west-2");
  }

  @Test
  void versionAndHelpWork() {
    assertThat(CliRun.of("version").out()).startsWith("flinkspot ");
    CliRun help = CliRun.of("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("cost", "prices", "version");
  }
}
