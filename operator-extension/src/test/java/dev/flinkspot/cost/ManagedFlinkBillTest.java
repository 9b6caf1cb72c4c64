package dev.flinkspot.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.RegionPriceView;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The MSF KPU bill against the published rules (COST-MODEL.md) and AWS's pricing examples. */
class ManagedFlinkBillTest {
  private static final RegionPriceView US_EAST_1 = CatalogLoader.builtIn().region("us-east-1");

  private static CostOptions options(String hours, int parallelismPerKpu) {
    return new CostOptions(
        new BigDecimal(hours),
        parallelismPerKpu,
        true,
        false,
        BigDecimal.ZERO,
        1,
        SelfManagedView.DEDICATED);
  }

  @Test
  void smallestApplicationMatchesTheAwsPricingExample() {
    // AWS's example: parallelism 1 → 1 application KPU + 1 orchestration KPU, $0.11/KPU-h,
    // plus 50 GB running storage at $0.10/GB-month.
    ManagedFlinkBill bill = ManagedFlinkBill.forParallelism(1, options("730", 1), US_EAST_1);

    assertThat(bill.applicationKpus()).isEqualTo(1);
    assertThat(bill.billedKpus()).isEqualTo(2);
    assertThat(bill.bill().lines().get(0).usd()).isEqualByComparingTo("160.60"); // 2 × 730 × 0.11
    assertThat(bill.bill().lines().get(1).usd()).isEqualByComparingTo("5.00"); // 50 × 0.10
    assertThat(bill.bill().totalUsd()).isEqualByComparingTo("165.60");
  }

  @Test
  void applicationKpusAreParallelismOverParallelismPerKpuRoundedUp() {
    assertThat(ManagedFlinkBill.forParallelism(8, options("730", 1), US_EAST_1).billedKpus())
        .isEqualTo(9);
    ManagedFlinkBill packed = ManagedFlinkBill.forParallelism(10, options("730", 4), US_EAST_1);
    assertThat(packed.applicationKpus()).isEqualTo(3);
    assertThat(packed.billedKpus()).isEqualTo(4);
    // storage follows application KPUs, not billed ones: 3 × 50 GB × $0.10
    assertThat(packed.bill().lines().get(1).usd()).isEqualByComparingTo("15.00");
  }

  @Test
  void shortRunsPayTheTenMinuteMinimum() {
    ManagedFlinkBill threeMinutes =
        ManagedFlinkBill.forParallelism(1, options("0.05", 1), US_EAST_1);
    ManagedFlinkBill tenMinutes =
        ManagedFlinkBill.forParallelism(1, options("0.1666666666666667", 1), US_EAST_1);

    assertThat(threeMinutes.bill().totalUsd()).isEqualByComparingTo(tenMinutes.bill().totalUsd());
    assertThat(CostComparison.cents(threeMinutes.bill().lines().get(0).usd()))
        .isEqualByComparingTo("0.04"); // 2 KPU × $0.11 / 6
  }

  @Test
  void runningStorageCanBeSwitchedOffAndBackupsOn() {
    CostOptions noStorage =
        new CostOptions(
            BigDecimal.valueOf(730),
            1,
            false,
            true,
            new BigDecimal("100"),
            1,
            SelfManagedView.DEDICATED);
    ManagedFlinkBill bill = ManagedFlinkBill.forParallelism(1, noStorage, US_EAST_1);

    assertThat(bill.bill().lines())
        .extracting(CostLine::component)
        .containsExactly("KPUs", "durable application backups");
    assertThat(bill.bill().lines().get(1).usd()).isEqualByComparingTo("2.30"); // 100 GB × 0.023
  }

  @Test
  void pricesArePerRegion() {
    RegionPriceView london = CatalogLoader.builtIn().region("eu-west-2");
    ManagedFlinkBill bill = ManagedFlinkBill.forParallelism(2, options("730", 1), london);

    assertThat(bill.bill().totalUsd())
        .isEqualByComparingTo("289.73"); // 3 × 730 × 0.127 + 100 GB × 0.116
  }

  @Test
  void resourceEquivalentViewMatchesTheLargerOfCpuAndMemory() {
    ManagedFlinkBill byMemory =
        ManagedFlinkBill.resourceEquivalent(
            new BigDecimal("4"), new BigDecimal("32"), options("730", 1), US_EAST_1);
    ManagedFlinkBill byCpu =
        ManagedFlinkBill.resourceEquivalent(
            new BigDecimal("7"), new BigDecimal("14.5"), options("730", 1), US_EAST_1);

    assertThat(byMemory.applicationKpus()).isEqualTo(8); // 32 GiB / 4 GB per KPU
    assertThat(byCpu.applicationKpus()).isEqualTo(7); // 7 vCPU / 1 per KPU
    assertThat(byCpu.billedKpus()).isEqualTo(8);
  }
}
