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

/** {@code flinkspot bill} end to end on the shipped example export (k8s/examples/billing). */
class BillCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static String example() {
    return RepoRoot.find().resolve("k8s/examples/billing/cur2-stock-ticker.csv").toString();
  }

  @Test
  void theExampleExportIsAttributedInTheTable() {
    CliRun run = CliRun.of("bill", "--export", example());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("AWS bill by Flink job: CUR 2.0, 1 file(s), 1370 rows, USD")
        .contains("flink/stock-ticker", "EKS control plane", "idle share of nodes", "refunds")
        .contains("split rows add back to 312 instance line(s), worst difference 0");
  }

  @Test
  void jsonTotalsAddUp() throws Exception {
    CliRun run = CliRun.of("bill", "--export", example(), "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode r = JSON.readTree(run.out());
    // the example's non-split lines, summed by hand (python's Decimal): 51.858064
    assertThat(r.at("/totalUsd").decimalValue()).isEqualByComparingTo("51.86");
    double parts = r.at("/jobs/0/totalUsd").asDouble();
    for (JsonNode v : r.get("shared")) {
      parts += v.asDouble();
    }
    for (JsonNode v : r.get("adjustments")) {
      parts += v.asDouble();
    }
    assertThat(parts).isCloseTo(51.86, org.assertj.core.data.Offset.offset(0.05));
    assertThat(r.at("/jobs/0/managedFlinkUsd").asDouble()).isGreaterThan(0);
    assertThat(r.at("/daily").size()).isGreaterThan(6); // 3 days x JM, TM, MSF
  }

  @Test
  void htmlHasTheDailyChart() throws Exception {
    Path html = dir.resolve("bill.html");
    CliRun run =
        CliRun.of("bill", "--export", example(), "--format", "html", "--output", html.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(html))
        .contains("Chart.js v4", "cost per day by component, and MSF", "\"managedFlinkUsd\"")
        .doesNotContain("src=\"http");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing path  | bill --export no-such-dir          | --export no-such-dir: no such file or directory",
        "s3 unreachable | bill --export s3://b/cur/ --endpoint-url http://127.0.0.1:9 | AWS credentials OR S3 refused or failed",
        "bad slots     | bill --export x --slots 0           | --slots = 0: use 1 to 1024",
        "bad tag role  | bill --export EXAMPLE --tag job=x   | the roles are app, component, policy and namespace",
      })
  void badInputExitsTwoWithOneLine(String name, String args, String message) {
    CliRun run = CliRun.of(args.trim().replace("EXAMPLE", example()).split("\\s+"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).containsAnyOf(message.split(" OR ")).doesNotContain("Exception", "\tat ");
  }
}
