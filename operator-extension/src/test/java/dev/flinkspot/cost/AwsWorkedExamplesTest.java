package dev.flinkspot.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.RegionPriceView;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every AWS worked example of the MSF bill that could be cited, reproduced to the cent by the
 * engine (us-east-1: $0.11/KPU-hour, $0.10/GB-month running storage).
 *
 * <p>Sources, per row:
 *
 * <ul>
 *   <li>how-pricing: docs.aws.amazon.com/managed-flink/latest/java/how-pricing.html, "Per second
 *       billing": "an application running for 20 minutes and 10 seconds will be charged for 20
 *       minutes and 10 seconds ... An application that is running for 5 minutes will be charged the
 *       ten-minute minimum ... 15 minutes corresponds to 0.25 hours", and one orchestration KPU per
 *       application. The page gives durations, not dollars: the dollars here are those durations ×
 *       the us-east-1 price for the smallest application (1 + 1 KPU).
 *   <li>calculator: AWS's MSF pricing calculator (aws/agent-toolkit-for-aws, developing
 *       applications on MSF, references/pricing-calculator.md): Total_KPUs = KPU_count + 1,
 *       KPU_cost = Total_KPUs × $0.11 × 730 h for 24/7. It calls the 50 GB per KPU of running
 *       storage included; the pricing page's examples and Infracost bill it, so flinkspot bills it
 *       by default and these rows switch it off where they follow the calculator.
 *   <li>pricing page: aws.amazon.com/managed-service-apache-flink/pricing, the example of an
 *       application of 20 KPUs running a 30-day month. It lists 21 KPUs (20 + 1 orchestration) and
 *       15,120 KPU-hours (21 × 720 h) but prices 20 KPUs (14,400 KPU-hours, $1,584.00): its own
 *       arithmetic is inconsistent. The correct figure, 15,120 × $0.11 = $1,663.20, is tested.
 *       (That example is quoted from issue 13; its page could not be retrieved here.)
 * </ul>
 */
class AwsWorkedExamplesTest {
  private static final RegionPriceView US_EAST_1 = CatalogLoader.builtIn().region("us-east-1");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // source and example                  | parallelism | hours          | storage | KPU-hours
        // | KPU $   | total $
        "how-pricing: 20 min 10 s, billed so      | 1  | 1210/3600      | false | 0.672222 | 0.07     | 0.07",
        "how-pricing: 5 min pays the 10-min min   | 1  | 300/3600       | false | 0.333333 | 0.04     | 0.04",
        "how-pricing: 15 min is 0.25 h            | 1  | 0.25           | false | 0.5      | 0.06     | 0.06",
        "calculator: 1 KPU 24/7, storage included | 1  | 730            | false | 1460     | 160.60   | 160.60",
        "calculator: 4 KPU 24/7, storage included | 4  | 730            | false | 3650     | 401.50   | 401.50",
        "pricing page: 1 KPU 24/7 + 50 GB storage | 1  | 730            | true  | 1460     | 160.60   | 165.60",
        "pricing page: 20 KPU for 30 days (21!)   | 20 | 720            | false | 15120    | 1663.20  | 1663.20",
      })
  void theEngineReproducesTheExample(
      String example,
      int parallelism,
      String hours,
      boolean storage,
      String kpuHours,
      String kpuUsd,
      String totalUsd) {
    CostOptions options =
        new CostOptions(
            hours(hours), 1, storage, false, BigDecimal.ZERO, 1, SelfManagedView.DEDICATED);
    ManagedFlinkBill bill = ManagedFlinkBill.forParallelism(parallelism, options, US_EAST_1);

    BigDecimal billedHours = options.hours().max(ManagedFlinkBill.MINIMUM_HOURS);
    assertThat(billedHours.multiply(BigDecimal.valueOf(bill.billedKpus())))
        .isCloseTo(
            new BigDecimal(kpuHours),
            org.assertj.core.data.Offset.offset(new BigDecimal("0.000001")));
    assertThat(CostComparison.cents(bill.bill().lines().get(0).usd())).isEqualByComparingTo(kpuUsd);
    assertThat(CostComparison.cents(bill.bill().totalUsd())).isEqualByComparingTo(totalUsd);
  }

  private static BigDecimal hours(String text) {
    String[] parts = text.split("/");
    return parts.length == 1
        ? new BigDecimal(parts[0])
        : new BigDecimal(parts[0]).divide(new BigDecimal(parts[1]), MathContext.DECIMAL64);
  }
}
