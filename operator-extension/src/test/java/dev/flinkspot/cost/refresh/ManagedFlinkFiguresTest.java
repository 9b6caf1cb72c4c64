package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.Figure;
import dev.flinkspot.cost.catalog.PriceCatalog.ManagedFlinkPrices;
import dev.flinkspot.cost.refresh.ManagedFlinkFigures.Kind;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AmazonKinesisAnalytics price-list documents become the three Managed Flink figures. */
class ManagedFlinkFiguresTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

  @Test
  void javaKpuRunningStorageAndBackupsAreFound() {
    ManagedFlinkPrices prices =
        ManagedFlinkFigures.toPrices(
            ManagedFlinkFigures.from(
                RecordedResponses.priceList(RecordedResponses.MANAGED_FLINK_US_EAST_2),
                "us-east-2",
                TODAY));

    assertThat(prices.kpuHour().value()).isEqualByComparingTo("0.11");
    assertThat(prices.kpuHour().unit()).isEqualTo("USD/KPU-hour");
    // the Flink (Java) KPU, not the SQL or Studio one
    assertThat(prices.kpuHour().source())
        .contains("AmazonKinesisAnalytics", "regionCode=us-east-2")
        .contains("usagetype=USE2-KPU-Hour-Java", "SKU QR3JSJ9N2Q2XKMCW");
    assertThat(prices.runningStorageGbMonth().value()).isEqualByComparingTo("0.10");
    assertThat(prices.runningStorageGbMonth().unit()).isEqualTo("USD/GB-month");
    assertThat(prices.durableBackupGbMonth().value()).isEqualByComparingTo("0.023");
    assertThat(prices.durableBackupGbMonth().asOf()).isEqualTo(TODAY);
  }

  @Test
  void aFigureAwsDidNotReturnIsAbsent() {
    List<String> withoutBackups =
        RecordedResponses.priceList(RecordedResponses.MANAGED_FLINK_US_EAST_2).stream()
            .filter(d -> !d.contains("DurableApplicationBackups"))
            .toList();

    Map<Kind, Figure> figures = ManagedFlinkFigures.from(withoutBackups, "us-east-2", TODAY);

    assertThat(figures).containsOnlyKeys(Kind.KPU_HOUR, Kind.RUNNING_STORAGE);
    assertThat(ManagedFlinkFigures.toPrices(figures).durableBackupGbMonth()).isNull();
  }

  @Test
  void otherRegionsAndNothingAtAllGiveNoFigures() {
    assertThat(
            ManagedFlinkFigures.from(
                RecordedResponses.priceList(RecordedResponses.MANAGED_FLINK_US_EAST_2),
                "eu-west-1",
                TODAY))
        .isEmpty();
    assertThat(ManagedFlinkFigures.toPrices(Map.of())).isNull();
  }
}
