package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.Figure;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spot price records become one figure per type: the mean of the latest price of each zone. */
class SpotFiguresTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

  static SpotPriceSample sample(String type, String zone, String price, Instant at) {
    return new SpotPriceSample(type, zone, "Linux/UNIX", new BigDecimal(price), at);
  }

  @Test
  void theLatestPriceOfEachZoneIsAveraged() {
    List<SpotPriceSample> samples =
        List.of(
            sample("m5.xlarge", "us-east-1a", "0.0500", T0.minusSeconds(7200)), // superseded
            sample("m5.xlarge", "us-east-1a", "0.0700", T0),
            sample("m5.xlarge", "us-east-1b", "0.0800", T0.minusSeconds(600)),
            sample("m5.xlarge", "us-east-1c", "0.0900", T0.minusSeconds(60)),
            sample("m5.xlarge", "us-east-1c", "0.0100", T0.minusSeconds(86_400))); // superseded

    Map<String, Figure> figures =
        SpotFigures.from(samples, "us-east-1", List.of("m5.xlarge"), TODAY);

    Figure figure = figures.get("m5.xlarge");
    assertThat(figure.value()).isEqualByComparingTo("0.08");
    assertThat(figure.unit()).isEqualTo("USD/instance-hour");
    assertThat(figure.asOf()).isEqualTo(TODAY);
    assertThat(figure.source())
        .isEqualTo(
            "AWS EC2 DescribeSpotPriceHistory (us-east-1, Linux/UNIX): mean of the latest price in"
                + " each of 3 zones (us-east-1a, us-east-1b, us-east-1c), range 0.07-0.09");
  }

  @Test
  void otherProductsRegionsAndTypesAreIgnored() {
    List<SpotPriceSample> samples =
        List.of(
            new SpotPriceSample(
                "c5.large", "us-east-1a", "Windows", new BigDecimal("0.2"), T0), // not Linux
            new SpotPriceSample(
                "c5.large",
                "us-east-1b",
                "Linux/UNIX (Amazon VPC)",
                new BigDecimal("0.031"),
                T0), // older accounts' name for the same product
            sample("c5.large", "us-west-2a", "0.5", T0), // another region
            sample("r5.large", "us-east-1a", "0.04", T0)); // not asked for

    Map<String, Figure> figures =
        SpotFigures.from(samples, "us-east-1", List.of("c5.large", "m5.large"), TODAY);

    assertThat(figures).containsOnlyKeys("c5.large");
    assertThat(figures.get("c5.large").value()).isEqualByComparingTo("0.031");
    assertThat(figures.get("c5.large").source()).contains("each of 1 zone (us-east-1b)");
  }

  @Test
  void theMeanIsRoundedToSixDecimals() {
    List<SpotPriceSample> samples =
        List.of(
            sample("m5.large", "us-east-2a", "0.0301", T0),
            sample("m5.large", "us-east-2b", "0.0302", T0),
            sample("m5.large", "us-east-2c", "0.0302", T0));

    Figure figure =
        SpotFigures.from(samples, "us-east-2", List.of("m5.large"), TODAY).get("m5.large");

    assertThat(figure.value().toPlainString()).isEqualTo("0.030167");
  }
}
