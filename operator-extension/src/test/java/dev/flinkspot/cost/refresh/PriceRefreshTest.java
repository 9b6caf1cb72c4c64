package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.catalog.RegionPriceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh from recorded responses: the figures, the summary of what is missing, and the price
 * file, which {@code --prices} must accept and prefer.
 */
class PriceRefreshTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T18:00:00Z"), ZoneOffset.UTC);
  private static final Instant NOW = CLOCK.instant();
  private static final List<String> TYPES = List.of("m5.large", "m5.xlarge", "m7g.xlarge");

  @TempDir Path dir;

  private static final OnDemandPriceSource RECORDED_EC2 =
      (region, types) -> RecordedResponses.priceList(RecordedResponses.EC2_US_EAST_2);
  private static final ManagedFlinkPriceSource RECORDED_MSF =
      region -> RecordedResponses.priceList(RecordedResponses.MANAGED_FLINK_US_EAST_2);
  private static final SpotPriceSource RECORDED_SPOT =
      (region, types) ->
          List.of(
              SpotFiguresTest.sample("m5.large", "us-east-2a", "0.0331", NOW),
              SpotFiguresTest.sample("m5.large", "us-east-2b", "0.0351", NOW),
              SpotFiguresTest.sample("m5.xlarge", "us-east-2a", "0.0702", NOW));

  private static PriceSourceException pricingDown() {
    return new PriceSourceException(
        "AWS Pricing GetProducts (AmazonEC2) failed: HTTP 500", new RuntimeException());
  }

  @Test
  void everythingAwsReturnedIsWrittenAndTheRestIsNamed() {
    RefreshResult result =
        new PriceRefresh(RECORDED_EC2, RECORDED_SPOT, RECORDED_MSF, CLOCK)
            .refresh("us-east-2", TYPES);

    assertThat(result.asOf()).isEqualTo(LocalDate.of(2026, 11, 21));
    assertThat(result.spotHour()).containsOnlyKeys("m5.large", "m5.xlarge");
    assertThat(result.spotHour().get("m5.large").value()).isEqualByComparingTo("0.0341");
    assertThat(result.onDemandHour()).containsOnlyKeys(TYPES.toArray(String[]::new));
    assertThat(result.managedFlink().kpuHour().value()).isEqualByComparingTo("0.11");
    assertThat(result.figureCount()).isEqualTo(8);
    assertThat(result.missing()).containsExactly("Spot not returned by AWS for m7g.xlarge");
    assertThat(result.summary("prices.yaml"))
        .isEqualTo(
            "us-east-2, as of 2026-11-21: wrote 2 Spot, 3 On-Demand and 3 Managed Flink figures"
                + " to prices.yaml; missing (the built-in catalog still applies there): Spot not"
                + " returned by AWS for m7g.xlarge")
        .doesNotContain("\n");
  }

  @Test
  void progressNamesEachSourceBeforeAskingIt() {
    List<String> steps = new ArrayList<>();
    new PriceRefresh(RECORDED_EC2, RECORDED_SPOT, RECORDED_MSF, CLOCK)
        .refresh("us-east-2", TYPES, steps::add);

    assertThat(steps)
        .containsExactly(
            "asking AWS for Spot prices",
            "asking AWS for On-Demand prices",
            "asking AWS for Managed Flink prices");
  }

  @Test
  void aFailingSourceLeavesOnlyItsFiguresOut() {
    OnDemandPriceSource down =
        (region, types) -> {
          throw pricingDown();
        };
    ManagedFlinkPriceSource msfDown =
        region -> {
          throw pricingDown();
        };

    RefreshResult result =
        new PriceRefresh(down, RECORDED_SPOT, msfDown, CLOCK).refresh("us-east-2", TYPES);

    assertThat(result.spotHour()).hasSize(2);
    assertThat(result.onDemandHour()).isEmpty();
    assertThat(result.managedFlink()).isNull();
    assertThat(result.missing())
        .contains(
            "On-Demand prices (AWS Pricing GetProducts (AmazonEC2) failed: HTTP 500)",
            "Managed Flink prices (AWS Pricing GetProducts (AmazonEC2) failed: HTTP 500)");
  }

  @Test
  void thePriceFileLoadsAsPricesAndItsSpotFiguresAreLive() throws Exception {
    RefreshResult result =
        new PriceRefresh(RECORDED_EC2, RECORDED_SPOT, RECORDED_MSF, CLOCK)
            .refresh("us-east-2", TYPES);
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, result.toYaml("# test\n"));

    PriceCatalog catalog = CatalogLoader.withOverrides(file);

    RegionPriceView ohio = catalog.region("us-east-2");
    RegionPriceView.SpotPrice spot = ohio.spotHour("m5.large");
    assertThat(spot.live()).isTrue();
    assertThat(spot.usdPerHour()).isEqualByComparingTo("0.0341");
    assertThat(spot.basis().source()).contains("DescribeSpotPriceHistory");
    assertThat(spot.basis().asOf()).isEqualTo(LocalDate.of(2026, 11, 21));
    assertThat(ohio.onDemandHour("m7g.xlarge").value()).isEqualByComparingTo("0.1632");
    assertThat(ohio.kpuHour().source()).contains("USE2-KPU-Hour-Java");
    // untouched: the built-in catalog's other regions, region list and instance types
    PriceCatalog builtIn = CatalogLoader.builtIn();
    assertThat(catalog.knownRegions()).isEqualTo(builtIn.knownRegions());
    assertThat(catalog.instanceTypes()).isEqualTo(builtIn.instanceTypes());
    assertThat(catalog.regions().get("us-east-1")).isEqualTo(builtIn.regions().get("us-east-1"));
    assertThat(catalog.hoursPerMonth()).isEqualByComparingTo(builtIn.hoursPerMonth());
  }

  @Test
  void thePriceFileHoldsOnlyTheRefreshedFiguresWithPlainValues() {
    RefreshResult result =
        new PriceRefresh(RECORDED_EC2, RECORDED_SPOT, RECORDED_MSF, CLOCK)
            .refresh("us-east-2", TYPES);

    String yaml = result.toYaml("# header\n");

    assertThat(yaml)
        .startsWith("# header\n")
        .contains("catalogVersion: 1", "us-east-2:", "spotHour:", "onDemandHour:")
        .contains("value: \"0.0341\"", "value: \"0.096\"", "asOf: \"2026-11-21\"")
        .doesNotContain("knownRegions", "instanceTypes", "hoursPerMonth", "spotDiscount", "E-")
        .doesNotContain("\\\n")
        .contains(
            "source: \"AWS EC2 DescribeSpotPriceHistory (us-east-2, Linux/UNIX): mean of the latest"
                + " price in each of 2 zones (us-east-2a, us-east-2b), range 0.0331-0.0351\"");
  }
}
