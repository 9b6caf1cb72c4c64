package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code flinkspot cost FILE --load-trace TRACE} end to end on the shipped examples. */
class CostLoadTraceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static String repo(String path) {
    return RepoRoot.find().resolve(path).toString();
  }

  static String[] args(String trace, String... more) {
    List<String> a = new ArrayList<>();
    a.add("cost");
    a.add(repo("k8s/examples/stock-ticker.yaml"));
    a.add("--load-trace");
    a.add(repo("k8s/examples/load-traces/" + trace));
    a.add("--policy");
    a.add(repo("k8s/flink/spot-taskmanagers-policy.yaml"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"diurnal.csv", "bursty.csv"})
  void theShippedTracesGiveBothBillsInTheTable(String trace) {
    CliRun run = CliRun.of(args(trace));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("flink/stock-ticker on a load trace, us-east-1")
        .contains("MSF", "self-managed on EKS", "total", "paused", "under-provisioned")
        .containsAnyOf("per day (every hour in --format json)", "per hour:")
        .contains("how-scaling-auto.html");
  }

  @Test
  void jsonHasStableKeysAndAddsUp() throws Exception {
    CliRun run = CliRun.of(args("bursty.csv", "--format", "json"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode r = JSON.readTree(run.out());
    List<String> keys = new ArrayList<>();
    r.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "deployment",
            "region",
            "trace",
            "managed",
            "selfManaged",
            "savingsUsd",
            "hours",
            "timeline",
            "assumptions",
            "prices",
            "skippedDocuments");
    assertThat(r.at("/trace/samples").asInt()).isEqualTo(2880);
    assertThat(r.at("/hours").size()).isEqualTo(48);
    for (String side : new String[] {"managed", "selfManaged"}) {
      JsonNode s = r.get(side);
      assertThat(s.has("pausedSeconds") && s.has("underProvisionedHours") && s.has("scalings"))
          .isTrue();
      double hourly = 0;
      for (JsonNode h : r.get("hours")) {
        hourly += h.get(side + "Usd").asDouble();
      }
      assertThat(hourly)
          .isCloseTo(s.get("totalUsd").asDouble(), org.assertj.core.data.Offset.offset(0.01));
      JsonNode work = s.get("work");
      assertThat(
              work.get("processedVcpuSeconds").asDouble()
                  + work.get("backlogVcpuSeconds").asDouble())
          .isCloseTo(
              work.get("arrivedVcpuSeconds").asDouble(), org.assertj.core.data.Offset.offset(0.01));
    }
    // The bursts are 10 minutes: below MSF's 15-minute window. The 45-minute ones scale it up.
    assertThat(r.at("/managed/scalings").asInt()).isGreaterThan(0);
    assertThat(r.at("/timeline/loadVcpus").size())
        .isEqualTo(r.at("/timeline/managedVcpus").size())
        .isEqualTo(r.at("/timeline/selfManagedVcpus").size());
  }

  @Test
  void htmlHasTheCapacityAndCumulativeCostCharts() throws Exception {
    Path html = dir.resolve("trace.html");
    CliRun run = CliRun.of(args("diurnal.csv", "--format", "html", "--output", html.toString()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(html))
        .startsWith("<!DOCTYPE html>")
        .contains("Chart.js v4")
        .contains("Capacity and load", "Cumulative cost")
        .contains("\"selfManagedUsd\"")
        .doesNotContain("src=\"http");
  }

  @Test
  void longerPausesCostMsfMoreDowntime() throws Exception {
    JsonNode ten = JSON.readTree(CliRun.of(args("diurnal.csv", "--format", "json")).out());
    JsonNode twenty =
        JSON.readTree(
            CliRun.of(args("diurnal.csv", "--format", "json", "--msf-scaling-pause", "20m")).out());
    assertThat(
            twenty.at("/managed/pausedSeconds").asDouble() / twenty.at("/managed/scalings").asInt())
        .isEqualTo(1200.0);
    assertThat(ten.at("/managed/pausedSeconds").asDouble() / ten.at("/managed/scalings").asInt())
        .isEqualTo(600.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing trace   | --load-trace no-such.csv          | --load-trace no-such.csv: cannot read",
        "bad duration    | --rescale-pause soon              | 'soon' is not a duration",
        "huge delay      | --node-launch-delay 9h            | --node-launch-delay = PT9H: use a duration from 0s to 6h",
        "bad capacity    | --slot-capacity -1                | --slot-capacity = -1.0",
        "bad max P       | --msf-max-parallelism 40000       | --msf-max-parallelism = 40000",
      })
  void badInputExitsTwoWithOneLine(String name, String extra, String message) {
    List<String> a = new ArrayList<>(List.of(args("bursty.csv")));
    String[] more = extra.trim().split("\\s+");
    int i = a.indexOf(more[0]);
    if (i >= 0) {
      a.set(i + 1, more[1]);
    } else {
      a.addAll(List.of(more));
    }
    CliRun run = CliRun.of(a.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).contains(message).doesNotContain("Exception", "\tat ");
  }

  /**
   * Issue 12 item 3: a --policy with warm spares is read; the simulation does not model them, and
   * says so rather than leaving them out silently. The shipped policy sets none: no such line.
   */
  @Test
  void aPolicyWithWarmSparesIsNamedAsNotSimulated() throws Exception {
    String shipped =
        Files.readString(RepoRoot.find().resolve("k8s/flink/spot-taskmanagers-policy.yaml"));
    assertThat(shipped).contains("    # spare: 1\n");
    Path policy = dir.resolve("spares.yaml");
    Files.writeString(policy, shipped.replace("    # spare: 1\n", "    spare: 2\n"));
    List<String> a = new ArrayList<>(List.of(args("bursty.csv", "--format", "json")));
    a.set(a.indexOf("--policy") + 1, policy.toString());

    CliRun run = CliRun.of(a.toArray(String[]::new));
    CliRun without = CliRun.of(args("bursty.csv", "--format", "json"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out()).path("assumptions").toString())
        .contains("taskManager.spare: 2, which this simulation does not model")
        .contains("status.spares");
    assertThat(JSON.readTree(without.out()).path("assumptions").toString())
        .doesNotContain("warm spares");
    assertThat(JSON.readTree(run.out()).path("selfManaged"))
        .isEqualTo(JSON.readTree(without.out()).path("selfManaged"));

    Files.writeString(policy, shipped.replace("    # spare: 1\n", "    spare: 101\n"));
    CliRun absurd = CliRun.of(a.toArray(String[]::new));
    assertThat(absurd.exitCode()).isEqualTo(2);
    assertThat(absurd.err().strip())
        .doesNotContain("\n")
        .contains("spec.taskManager.spare is '101': give a whole number from 0 to 100");
  }

  @Test
  void aPolicyWithoutScalingIsRefused() throws Exception {
    Path policy = dir.resolve("p.yaml");
    Files.writeString(
        policy,
        "apiVersion: flinkspot.dev/v1alpha1\nkind: FlinkSpotPolicy\nmetadata: {name: p}\nspec: {}\n");
    List<String> a = new ArrayList<>(List.of(args("bursty.csv")));
    a.set(a.indexOf("--policy") + 1, policy.toString());
    CliRun run = CliRun.of(a.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no spec.scaling: add scaling.maxTaskManagers");
  }
}
