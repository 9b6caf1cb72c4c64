package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.workload.ManifestReader;
import dev.flinkspot.plan.ClusterConfigRules;
import dev.flinkspot.plan.ShippedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code flinkspot plan} end to end in-process: the files it writes, its report, its refusals. */
class PlanCommandTest {

  @TempDir Path dir;

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @ParameterizedTest(name = "{0} MB/s, {1}, {2}")
  @CsvSource({
    "10,   us-east-1, 4x16",
    "0.5,  us-east-1, 4x16",
    "250,  us-east-1, 8x32",
    "12,   us-east-1, 2x8",
  })
  void theWrittenFilesPassTheSameRulesAsTheShippedOnes(String rate, String region, String shape)
      throws Exception {
    CliRun run =
        run(
            "plan",
            "--ingest-mb-per-s",
            rate,
            "--region",
            region,
            "--node-shape",
            shape,
            "--output",
            dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    JsonNode cluster = ShippedFiles.yaml(dir.resolve("cluster.yaml"));
    var policy = ShippedFiles.policySpec(dir.resolve("policy.yaml"));
    assertThat(ClusterConfigRules.check(cluster, CatalogLoader.builtIn(), policy)).isEmpty();
    var manifest = ManifestReader.read(dir.resolve("flinkdeployment.yaml"));
    assertThat(manifest.deployments()).hasSize(1);
    assertThat(manifest.skipped()).isEmpty();
    assertThat(ShippedFiles.yaml(dir.resolve("policy.yaml")).path("kind").asText())
        .isEqualTo("FlinkSpotPolicy");
    var scaling = ShippedFiles.scaling(dir.resolve("policy.yaml"));
    assertThat(scaling.invalidMessage()).isNull();
    assertThat(scaling.policy().minTaskManagers())
        .isEqualTo(manifest.deployments().get(0).getSpec().getTaskManager().getReplicas());
  }

  @Test
  void tenMbPerSecondIsFiveTaskManagersOnThreeSpotNodesOfSixTypes() throws Exception {
    CliRun run =
        run("plan", "--ingest-mb-per-s", "10", "--region", "us-east-1", "--output", dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("10 KPU-equivalents")
        .contains(
            "TaskManagers: 5 x (1.75 vCPU, 7168m, 2 slots) on 3 Spot node(s) of 4 vCPU / 16 GiB x86_64")
        .contains(
            "taskmanagers-spot-a: m5.xlarge, m5a.xlarge, m5d.xlarge over us-east-1a, us-east-1b, us-east-1c")
        .contains("taskmanagers-spot-b: m6a.xlarge, m6i.xlarge, m7a.xlarge, m7i.xlarge")
        .contains("11 KPU (10 application + 1 orchestration)")
        .contains("savings vs MSF");
    JsonNode deployment = ShippedFiles.yaml(dir.resolve("flinkdeployment.yaml"));
    assertThat(deployment.path("spec").path("taskManager").path("replicas").asInt()).isEqualTo(5);
    assertThat(
            deployment.at(
                "/spec/taskManager/podTemplate/spec/containers/0/lifecycle/preStop/exec/command"))
        .as("the same TaskManager preStop the admission defaults add")
        .hasToString(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(
                    dev.flinkspot.scaling.TaskManagerDrain.preStopCommand(
                        java.net.URI.create(
                            "http://"
                                + deployment.path("metadata").path("name").asText()
                                + "-rest."
                                + deployment.path("metadata").path("namespace").asText()
                                + ".svc:8081")))
                .toString());
    assertThat(
            deployment
                .path("spec")
                .path("flinkConfiguration")
                .path("rest.cache.checkpoint-statistics.timeout")
                .asText())
        .isEqualTo("500 ms");
    assertThat(deployment.path("spec").path("flinkConfiguration").path("scheduler-mode").asText())
        .isEqualTo("REACTIVE");
    assertThat(deployment.path("metadata").path("labels").path("flinkspot.dev/policy").asText())
        .isEqualTo("spot-taskmanagers");
    // eksctl reads YAML 1.1: a bare 2012-10-17 would be a timestamp.
    assertThat(Files.readString(dir.resolve("cluster.yaml"))).contains("Version: \"2012-10-17\"");
  }

  @Test
  void theKpuLineSaysWhatIsWrittenAndTheCostCommandKeepsThePriceFile() throws Exception {
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(
        prices,
        """
        regions:
          us-east-1:
            ec2:
              spotDiscount: {value: "0.60", unit: fraction, asOf: 2026-11-30, source: test}
        """);
    Path out = dir.resolve("plan50");
    CliRun run =
        run(
            "plan",
            "--ingest-mb-per-s",
            "50",
            "--region",
            "us-east-1",
            "--prices",
            prices.toString(),
            "--output",
            out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    // 50 slots on 13 nodes of 4 vCPU / 16 GiB; 25 TaskManagers of 1.75 vCPU / 7 GiB request less
    assertThat(run.out())
        .contains("50 KPU-equivalents")
        .contains("as 50 slots on 13 Spot node(s) = 52 vCPU / 208 GiB of node capacity")
        .contains("the TaskManagers request 43.75 vCPU / 175 GiB of it");
    JsonNode deployment = ShippedFiles.yaml(out.resolve("flinkdeployment.yaml"));
    assertThat(deployment.at("/spec/taskManager/replicas").asInt()).isEqualTo(25);
    assertThat(deployment.at("/spec/taskManager/resource/cpu").decimalValue())
        .isEqualByComparingTo("1.75");
    String command =
        run.out()
            .lines()
            .filter(l -> l.startsWith("Same numbers from the files:"))
            .findFirst()
            .orElseThrow();
    assertThat(command).endsWith(" --prices " + prices);
    String[] argv =
        command.substring(command.indexOf("flinkspot cost ") + "flinkspot ".length()).split(" ");
    CliRun cost = CliRun.of(argv);
    assertThat(cost.exitCode()).as(cost.err()).isZero();
    assertThat(cost.out()).contains("× (1 − catalog discount)", "savings vs MSF");
    // the same Spot price as the plan (the price file's 60% discount), so the same bill
    assertThat(moneyLines(cost.out())).isEqualTo(moneyLines(run.out()));
  }

  @Test
  void theDefaultPlanHasTheSpotGroupsOfTheShippedCluster() {
    assertThat(
            run(
                    "plan",
                    "--ingest-mb-per-s",
                    "4",
                    "--region",
                    "us-east-1",
                    "--output",
                    dir.toString())
                .exitCode())
        .isZero();
    List<List<String>> planned = spotTypes(ShippedFiles.yaml(dir.resolve("cluster.yaml")));
    List<List<String>> shipped =
        spotTypes(ShippedFiles.yaml(ShippedFiles.root().resolve("eksctl/cluster.yaml")));
    assertThat(planned).hasSameSizeAs(shipped);
    for (int i = 0; i < planned.size(); i++) {
      assertThat(planned.get(i)).containsExactlyInAnyOrderElementsOf(shipped.get(i));
    }
  }

  private static List<List<String>> spotTypes(JsonNode cluster) {
    List<List<String>> groups = new ArrayList<>();
    for (JsonNode g : cluster.path("managedNodeGroups")) {
      if (g.path("spot").asBoolean()) {
        List<String> types = new ArrayList<>();
        g.path("instanceTypes").forEach(t -> types.add(t.asText()));
        groups.add(types);
      }
    }
    return groups;
  }

  @Test
  void thePrintedComparisonIsWhatFlinkspotCostSaysOfTheWrittenFiles() {
    CliRun plan =
        run(
            "plan",
            "--ingest-mb-per-s",
            "23",
            "--region",
            "us-east-1",
            "--state-gb",
            "50",
            "--output",
            dir.toString());
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    CliRun cost =
        run(
            "cost",
            dir.resolve("flinkdeployment.yaml").toString(),
            "--eksctl",
            dir.resolve("cluster.yaml").toString(),
            "--parallelism",
            "23",
            "--region",
            "us-east-1",
            "--state-gb",
            "50",
            "--shuffle-mb-per-s",
            "23",
            "--zones",
            "3");
    assertThat(cost.exitCode()).as(cost.err()).isZero();
    assertThat(moneyLines(plan.out())).isNotEmpty().isEqualTo(moneyLines(cost.out()));
    assertThat(plan.out())
        .contains(
            "flinkspot cost "
                + dir.resolve("flinkdeployment.yaml")
                + " --eksctl "
                + dir.resolve("cluster.yaml")
                + " --parallelism 23 --region us-east-1 --shuffle-mb-per-s 23 --zones 3"
                + " --state-gb 50");
  }

  private static List<String> moneyLines(String report) {
    return Stream.of(report.split("\n")).filter(l -> l.contains("$")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--ingest-mb-per-s 0 --region us-east-1 | --ingest-mb-per-s = 0 is out of range: use more than 0 to 32768",
        "--ingest-mb-per-s -2 --region us-east-1 | --ingest-mb-per-s = -2 is out of range: use more than 0 to 32768",
        "--ingest-mb-per-s 5 --region eu-nowhere-9 | --region: unknown AWS region 'eu-nowhere-9'",
        "--ingest-mb-per-s 5 --region us-east-1 --arch sparc | --arch 'sparc': use x86_64, arm64 or any",
        "--ingest-mb-per-s 5 --region us-east-1 --node-shape 6x24 | the catalog has 0 instance type(s) of that shape, Spot needs at least 3",
        "--ingest-mb-per-s 5 --region us-east-1 --node-shape 4x8 | --node-shape 4 vCPU / 8 GiB x86_64 has 2 GiB per vCPU; the KPU rule needs 4 GiB per vCPU",
        "--ingest-mb-per-s 5 --region us-east-1 --zones us-east-1a | --zones: Spot TaskManagers need at least 2",
      })
  void badInputSaysSoOnOneLineAndExitsTwo(String args, String message) throws Exception {
    List<String> argv = new ArrayList<>(List.of("plan"));
    argv.addAll(List.of(args.trim().split(" +")));
    argv.addAll(List.of("--output", dir.resolve("out").toString()));
    CliRun run = run(argv.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("flinkspot: ").contains(message.trim());
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
