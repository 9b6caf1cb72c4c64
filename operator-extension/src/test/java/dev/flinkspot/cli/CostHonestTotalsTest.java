package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.testing.kube.RepoRoot;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What issue 13 found missing, through the CLI: a region with MSF prices only, TaskManagers larger
 * than the default nodes, the system node group and inter-AZ traffic, the headline a user pays, and
 * EMR on EKS as a third bill.
 */
class CostHonestTotalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  @Test
  void aRegionWithMsfPricesOnlyStillPrintsMsfAndNamesEveryMissingFigure() throws Exception {
    CliRun run = CliRun.of("cost", "--parallelism", "10", "--region", "us-east-2");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("MSF   ", "$933.30") // 11 KPU × 730 h × $0.11 + 500 GB × $0.10
        .contains("self-managed on EKS", "not priced")
        .contains(
            "regions.us-east-2.ec2.onDemandHour.m5.large",
            "regions.us-east-2.ec2.onDemandHour.m5.xlarge",
            "regions.us-east-2.eks.controlPlaneHour",
            "regions.us-east-2.storage.ebsGp3GbMonth");
    // one stderr line naming all of them at once
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err())
        .startsWith("note: no price for ")
        .contains(
            "regions.us-east-2.ec2.onDemandHour.m7a.xlarge",
            "regions.us-east-2.eks.controlPlaneHour");
    JsonNode report =
        json(CliRun.of("cost", "--parallelism", "10", "--region", "us-east-2", "--format", "json"));
    assertThat(report.at("/complete").asBoolean()).isFalse();
    assertThat(report.at("/selfManaged").isNull()).isTrue();
    assertThat(report.at("/savingsUsd").isNull()).isTrue();
    assertThat(report.at("/missingFigures").size()).isGreaterThan(5);
  }

  @Test
  void aLargeTaskManagerGetsDefaultNodesThatFitButAnExplicitEksctlStaysAnError() throws Exception {
    Path manifest = dir.resolve("big.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: flink.apache.org/v1beta1
        kind: FlinkDeployment
        metadata: {name: big, namespace: flink}
        spec:
          flinkVersion: v1_20
          jobManager: {resource: {cpu: 1, memory: 2048m}}
          taskManager: {resource: {cpu: 4, memory: 8192m}}
          job: {jarURI: local:///opt/flink/usrlib/job.jar, parallelism: 8}
        """);
    CliRun run = CliRun.of("cost", manifest.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("TaskManagers on m5.2xlarge, m5a.2xlarge")
        .contains(
            "sized up to the smallest size the pods fit: JobManagers large, TaskManagers 2xlarge");

    CliRun explicit =
        CliRun.of(
            "cost",
            manifest.toString(),
            "--eksctl",
            RepoRoot.find().resolve("eksctl/cluster.yaml").toString());
    assertThat(explicit.exitCode()).isEqualTo(2);
    assertThat(explicit.err()).contains("does not fit on m5.xlarge");
  }

  @Test
  void theSystemNodeGroupAndInterAzTrafficAreCountedAndSingleZoneIsWeighed() throws Exception {
    JsonNode threeZones =
        json(
            CliRun.of(
                "cost", "--parallelism", "10", "--shuffle-mb-per-s", "10", "--format", "json"));
    JsonNode oneZone =
        json(
            CliRun.of(
                "cost",
                "--parallelism",
                "10",
                "--shuffle-mb-per-s",
                "10",
                "--zones",
                "1",
                "--format",
                "json"));

    JsonNode lines = threeZones.at("/selfManaged/dedicated/lines");
    assertThat(usd(lines, "system node group (On-Demand)")).isEqualByComparingTo("148.16");
    // 10 MB/s × 730 h × 3600 s = 26,280 GB; 2/3 crosses zones; $0.01 out + $0.01 in
    assertThat(usd(lines, "inter-AZ shuffle traffic")).isEqualByComparingTo("350.40");
    assertThat(threeZones.at("/selfManaged/interAzUsd").decimalValue())
        .isEqualByComparingTo("350.40");
    assertThat(usd(oneZone.at("/selfManaged/dedicated/lines"), "inter-AZ shuffle traffic"))
        .isEqualByComparingTo("0.00");
    assertThat(threeZones.at("/assumptions").toString())
        .contains("TaskManagers in a single zone would save $350.40")
        .contains("one zone's capacity pools");
  }

  @Test
  void theHeadlineIsWhatTheUserPays() throws Exception {
    JsonNode alone = json(CliRun.of("cost", "--parallelism", "10", "--format", "json"));
    JsonNode shared =
        json(CliRun.of("cost", "--parallelism", "10", "--cluster-jobs", "10", "--format", "json"));

    assertThat(alone.at("/selfManaged/view").asText()).isEqualTo("dedicated");
    assertThat(shared.at("/selfManaged/view").asText()).isEqualTo("shared");
    assertThat(shared.at("/assumptions").toString())
        .contains("what each of 10 jobs sharing the nodes pays");
    // the system node group is shared like the control plane: 148.16 / 10
    assertThat(usd(shared.at("/selfManaged/shared/lines"), "system node group (On-Demand)"))
        .isEqualByComparingTo("14.82");
  }

  @Test
  void emrOnEksIsAThirdBillWhenItsPricesAreGiven() throws Exception {
    Path prices = dir.resolve("emr.yaml");
    Files.writeString(
        prices,
        """
        regions:
          us-east-1:
            emrOnEks:
              vcpuHour: {value: "0.01", unit: USD/vCPU-hour, asOf: 2026-11-30, source: test figure}
              memoryGbHour: {value: "0.001", unit: USD/GB-hour, asOf: 2026-11-30, source: test figure}
        """);
    JsonNode report =
        json(
            CliRun.of(
                "cost", "--parallelism", "10", "--prices", prices.toString(), "--format", "json"));

    // 1 JM (1 vCPU, 2 GiB) + 5 TMs (1.75 vCPU, 7 GiB): 9.75 vCPU, 37 GiB, for 730 h
    JsonNode lines = report.at("/emrOnEks/lines");
    assertThat(usd(lines, "EMR on EKS uplift, vCPU")).isEqualByComparingTo("71.18"); // 71.175
    assertThat(usd(lines, "EMR on EKS uplift, memory")).isEqualByComparingTo("27.01");
    // the same nodes as self-managed, plus the uplift (cents rounded once per figure)
    assertThat(report.at("/emrOnEks/totalUsd").decimalValue())
        .isCloseTo(
            report.at("/selfManaged/totalUsd").decimalValue().add(new BigDecimal("98.185")),
            org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
    assertThat(report.at("/missingFigures").size()).isZero();
    CliRun table = CliRun.of("cost", "--parallelism", "10", "--prices", prices.toString());
    assertThat(table.out())
        .contains("EMR on EKS (same nodes + EMR uplift)", "EMR on EKS uplift, vCPU");
    Path html = dir.resolve("r.html");
    CliRun.of(
        "cost",
        "--parallelism",
        "10",
        "--prices",
        prices.toString(),
        "--format",
        "html",
        "--output",
        html.toString());
    assertThat(Files.readString(html)).contains("EMR on EKS uplift, memory", "[\"EMR on EKS\"");
  }

  @Test
  void theReferenceTableIsACommand() {
    CliRun run = CliRun.of("cost", "--reference-jobs");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Reference jobs in us-east-1", "Reached with the fewest levers:");
  }

  private static BigDecimal usd(JsonNode lines, String component) {
    for (JsonNode line : lines) {
      if (line.path("component").asText().equals(component)) {
        return line.path("usd").decimalValue();
      }
    }
    throw new AssertionError("no line " + component + " in " + lines);
  }
}
