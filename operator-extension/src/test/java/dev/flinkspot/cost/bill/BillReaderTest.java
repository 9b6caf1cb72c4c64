package dev.flinkspot.cost.bill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bill of the hand-computed CUR 2.0 fixture (see {@link CurExports#handComputed}). */
class BillReaderTest {
  @TempDir Path dir;

  static BillReader.Options options() {
    return new BillReader.Options(
        null, 2, CostOptions.defaults(), CatalogLoader.builtIn().region("us-east-1"));
  }

  static void assertUsd(BigDecimal actual, String expected) {
    assertThat(actual).isEqualByComparingTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cur.parquet", "cur.csv", "cur.csv.gz"})
  void attributesTheHandComputedBill(String name) throws Exception {
    Path file = CurExports.handComputed().write(dir.resolve(name), null);
    BillReport r = BillReader.read(file.toString(), options());

    assertThat(r.format()).isEqualTo("CUR 2.0");
    assertThat(r.currency()).isEqualTo("USD");
    assertThat(r.rows()).isEqualTo(23);
    // the month boundary: both days, both billing periods
    assertThat(r.firstDay()).isEqualTo(LocalDate.of(2026, 7, 31));
    assertThat(r.lastDay()).isEqualTo(LocalDate.of(2026, 8, 1));

    assertThat(r.jobs()).hasSize(1);
    BillReport.JobBill job = r.jobs().get(0);
    assertThat(job.job()).isEqualTo("flink/stock-ticker");
    assertThat(job.policy()).isEqualTo("spot-taskmanagers");
    assertUsd(job.taskManagerUsd(), "0.14"); // 2 pods x 0.035 x 2 h
    assertUsd(job.jobManagerUsd(), "0.08"); // 0.040 x 2 h
    assertUsd(job.spotUsd(), "0.14");
    assertUsd(job.onDemandUsd(), "0.08");

    Map<String, BigDecimal> shared = r.shared();
    assertUsd(shared.get("idle share of nodes"), "0.092"); // (0.005 x 2 + 0.016 + 0.020) x 2
    assertUsd(shared.get("other pods (system, non-Flink)"), "0.04");
    assertUsd(shared.get("EC2 instances without split data"), "0.192");
    assertUsd(shared.get("EKS control plane"), "0.20");
    assertUsd(shared.get("EBS volumes"), "0.04");
    assertUsd(shared.get("data transfer"), "0.02");
    assertUsd(r.adjustments().get("refunds"), "-1.00");
    assertUsd(r.adjustments().get("credits"), "-0.50");
    assertUsd(r.adjustments().get("tax"), "0.30");
    // every non-split line of the export: 0.402 x 2 - 1.00 - 0.50 + 0.30
    assertUsd(r.totalUsd(), "-0.396");
    assertUsd(r.spotUsd(), "0.16");
    assertUsd(r.onDemandUsd(), "0.384");

    // the split rows add back to their instance lines (2 instances x 2 hours)
    assertThat(r.splitCheck().instanceLines()).isEqualTo(4);
    assertUsd(r.splitCheck().worstDifferenceUsd(), "0");

    // MSF at 2 TaskManagers x 2 slots = parallelism 4: (4 + 1) KPU x $0.11 + 200 GB x $0.10 / 730
    // per hour, for 2 hours
    assertThat(job.meanParallelism()).isEqualTo(4.0);
    assertThat(job.hours()).isEqualTo(2.0);
    assertThat(job.managedFlinkUsd().doubleValue())
        .isCloseTo(2 * (5 * 0.11 + 200 * 0.10 / 730), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.daily())
        .extracting(BillReport.DailyCost::day, BillReport.DailyCost::component)
        .contains(
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 7, 31), "taskmanager"),
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 8, 1), "MSF"));
  }

  @Test
  void aFolderOfFilesIsOneExport() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("export/data/BILLING_PERIOD=2026-08"));
    CurExports.handComputed().write(folder.resolve("part-0.parquet"), null);
    CurExports.handComputed().write(folder.resolve("part-1.parquet"), null);
    BillReport r = BillReader.read(dir.resolve("export").toString(), options());

    assertThat(r.files()).isEqualTo(2);
    assertUsd(r.totalUsd(), "-0.792");
    assertUsd(r.jobs().get(0).taskManagerUsd(), "0.28");
  }

  @Test
  void aMissingRequiredColumnNamesIt() throws Exception {
    Path file =
        CurExports.handComputed().write(dir.resolve("no-currency.csv"), "line_item_currency_code");
    assertThatThrownBy(() -> BillReader.read(file.toString(), options()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("column line_item_currency_code is missing")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anUnknownFormatIsRefused() throws Exception {
    Path file = dir.resolve("other.csv");
    Files.writeString(file, "date,amount\n2026-07-01,3\n");
    assertThatThrownBy(() -> BillReader.read(file.toString(), options()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("unknown format: neither CUR 2.0");
  }

  @Test
  void mixedCurrencyIsRefused() throws Exception {
    CurExports e = CurExports.handComputed();
    e.line(
        "2026-08-01 00:00:00",
        "Usage",
        "AmazonEKS",
        "EUC1-AmazonEKS-Hours:perCluster",
        "c",
        "0.10",
        "EUR",
        null,
        null,
        null,
        null);
    Path file = e.write(dir.resolve("mixed.parquet"), null);
    assertThatThrownBy(() -> BillReader.read(file.toString(), options()))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("mixed currency in line_item_currency_code (EUR, USD)");
  }

  @Test
  void withoutSplitDataPodsAreNotPricedAndTheReportSaysSo() throws Exception {
    CurExports e = new CurExports();
    e.usage("2026-07-01 00:00:00", "AmazonEC2", "USE1-SpotUsage:m5.xlarge", "i-1", "0.08");
    Path file = e.write(dir.resolve("nosplit.parquet"), null);
    // drop the three split columns
    Path bare = dir.resolve("bare.parquet");
    try (var db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var sql = db.createStatement()) {
      sql.execute(
          "COPY (SELECT * EXCLUDE (split_line_item_parent_resource_id, split_line_item_split_cost,"
              + " split_line_item_unused_cost) FROM read_parquet('"
              + file
              + "')) TO '"
              + bare
              + "' (FORMAT parquet)");
    }
    BillReport r = BillReader.read(bare.toString(), options());

    assertThat(r.jobs()).isEmpty();
    assertUsd(r.shared().get("EC2 instances without split data"), "0.08");
    assertThat(r.assumptions()).anyMatch(a -> a.contains("no split cost allocation data"));
  }

  @Test
  void focusTaggedInstancesAreAttributed() throws Exception {
    Path file = dir.resolve("focus.csv");
    Files.writeString(
        file,
        """
        BilledCost,BillingCurrency,ChargeCategory,ChargeClass,ChargePeriodStart,ChargePeriodEnd,ServiceName,ResourceId,PricingCategory,Tags
        0.08,USD,Usage,,2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,Amazon Elastic Compute Cloud,i-tm1,Dynamic,"{""user:app"":""stock-ticker"",""user:component"":""taskmanager"",""aws:eks:namespace"":""flink""}"
        0.096,USD,Usage,,2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,Amazon Elastic Compute Cloud,i-jm1,Standard,"{""user:app"":""stock-ticker"",""user:component"":""jobmanager"",""aws:eks:namespace"":""flink""}"
        0.10,USD,Usage,,2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,Amazon Elastic Kubernetes Service,arn:aws:eks:us-east-1:1:cluster/prod,Standard,
        -0.05,USD,Credit,,2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,Amazon Elastic Compute Cloud,,,
        -0.02,USD,Usage,Correction,2026-07-01T00:00:00Z,2026-07-01T01:00:00Z,Amazon Elastic Compute Cloud,i-tm1,Dynamic,
        """);
    BillReport r = BillReader.read(file.toString(), options());

    assertThat(r.format()).isEqualTo("FOCUS 1.x");
    BillReport.JobBill job = r.jobs().get(0);
    assertThat(job.job()).isEqualTo("flink/stock-ticker");
    assertUsd(job.taskManagerUsd(), "0.08");
    assertUsd(job.spotUsd(), "0.08");
    assertUsd(job.jobManagerUsd(), "0.096");
    assertUsd(r.shared().get("EKS control plane"), "0.10");
    assertUsd(r.adjustments().get("credits"), "-0.05");
    assertUsd(r.adjustments().get("refunds"), "-0.02");
    assertUsd(r.totalUsd(), "0.206");
    assertThat(job.meanParallelism()).isEqualTo(2.0); // one TaskManager instance x 2 slots
  }
}
