package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.cli.CliRun;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.testing.aws.FakeAwsCredentials;
import dev.flinkspot.testing.aws.MotoServer;
import dev.flinkspot.testing.aws.MotoServerExtension;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh through the real AWS SDK against a real local AWS-compatible server (moto, {@link
 * MotoServer#VERSION}). Moto implements EC2 DescribeSpotPriceHistory (every offered type at a fixed
 * 0.00001 USD/h per zone) but not the Pricing API, which answers HTTP 500: On-Demand and Managed
 * Flink figures are therefore covered by the recorded-response tests, and here only their failure
 * path is.
 */
@ExtendWith(MotoServerExtension.class)
class PriceRefreshMotoIT {

  private static final String MOTO_SPOT_PRICE = "0.00001";

  @TempDir Path dir;

  @BeforeAll
  static void credentials() {
    FakeAwsCredentials.set();
  }

  @AfterAll
  static void clearCredentials() {
    FakeAwsCredentials.clear();
  }

  @Test
  void spotPricesComeThroughTheSdkPerZone(MotoServer moto) {
    try (AwsPriceApis aws = AwsPriceApis.connect("us-east-1", moto.endpoint(), Clock.systemUTC())) {
      List<SpotPriceSample> samples =
          aws.spotPrices("us-east-1", List.of("m5.large", "m7g.xlarge", "r6i.2xlarge"));

      assertThat(samples).isNotEmpty();
      assertThat(samples)
          .extracting(SpotPriceSample::instanceType)
          .containsOnly("m5.large", "m7g.xlarge", "r6i.2xlarge");
      assertThat(samples)
          .allSatisfy(
              s -> {
                assertThat(s.availabilityZone()).matches("us-east-1[a-z]");
                assertThat(s.productDescription()).isIn(SpotFigures.LINUX_PRODUCTS);
                assertThat(s.usdPerHour()).isEqualByComparingTo(MOTO_SPOT_PRICE);
                assertThat(s.timestamp()).isNotNull();
              });
    }
  }

  @Test
  void motoHasNoPricingApiSoThoseFiguresFailInOneLine(MotoServer moto) {
    try (AwsPriceApis aws = AwsPriceApis.connect("us-east-1", moto.endpoint(), Clock.systemUTC())) {
      assertThatThrownBy(() -> aws.ec2Products("us-east-1", List.of("m5.large")))
          .isInstanceOf(PriceSourceException.class)
          .hasMessageStartingWith("AWS Pricing GetProducts (AmazonEC2) failed: HTTP 500")
          .hasMessageNotContaining("\n")
          .hasMessageNotContaining("testing");
      assertThatThrownBy(() -> aws.managedFlinkProducts("us-east-1"))
          .isInstanceOf(PriceSourceException.class)
          .hasMessageStartingWith("AWS Pricing GetProducts (AmazonKinesisAnalytics) failed");
    }
  }

  @Test
  void theCliWritesAPriceFileThatTheCostReportUsesAsLiveSpotPrices(MotoServer moto)
      throws Exception {
    Path file = dir.resolve("prices.yaml");

    CliRun refresh =
        CliRun.of(
            "prices",
            "refresh",
            "--region",
            "us-east-1",
            "--output",
            file.toString(),
            "--endpoint-url",
            moto.endpoint().toString());

    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    int types = CatalogLoader.builtIn().instanceTypes().size();
    assertThat(refresh.out())
        .startsWith(
            "us-east-1, as of "
                + LocalDate.now(ZoneOffset.UTC)
                + ": wrote "
                + types
                + " Spot, 0 On-Demand and 0 Managed Flink figures to "
                + file)
        .contains("On-Demand prices (AWS Pricing GetProducts (AmazonEC2) failed: HTTP 500")
        .hasLineCount(1);
    assertThat(refresh.err()).isEmpty();

    PriceCatalog catalog = CatalogLoader.withOverrides(file);
    RegionPriceView.SpotPrice spot = catalog.region("us-east-1").spotHour("m5.xlarge");
    assertThat(spot.live()).isTrue();
    assertThat(spot.usdPerHour()).isEqualByComparingTo(MOTO_SPOT_PRICE);
    assertThat(spot.basis().source()).startsWith("AWS EC2 DescribeSpotPriceHistory (us-east-1");
    assertThat(spot.basis().asOf()).isEqualTo(LocalDate.now(ZoneOffset.UTC));
    // On-Demand was not refreshed: the built-in figure stays
    assertThat(catalog.region("us-east-1").onDemandHour("m5.xlarge").value())
        .isEqualByComparingTo("0.192");

    JsonNode estimated = json(CliRun.of("cost", "--parallelism", "8", "--format", "json"));
    JsonNode live =
        json(
            CliRun.of(
                "cost", "--parallelism", "8", "--format", "json", "--prices", file.toString()));

    assertThat(estimated.at("/assumptions").toString()).contains("Spot: estimated");
    assertThat(live.at("/assumptions").toString())
        .contains("Spot: live prices from the price file");
    assertThat(live.toString()).contains("m5.xlarge $0.00001/h");
    BigDecimal liveTotal = live.at("/selfManaged/totalUsd").decimalValue();
    assertThat(liveTotal).isLessThan(estimated.at("/selfManaged/totalUsd").decimalValue());
    assertThat(live.at("/managed/totalUsd").decimalValue())
        .isEqualByComparingTo(estimated.at("/managed/totalUsd").decimalValue());
  }

  @Test
  void theCliWritesToStandardOutputWithoutOutput(MotoServer moto) throws Exception {
    CliRun refresh =
        CliRun.of(
            "prices",
            "refresh",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            moto.endpoint().toString());

    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.out())
        .startsWith("# Written by `flinkspot prices refresh --region eu-west-1`");
    assertThat(refresh.err()).startsWith("eu-west-1, as of ").contains("to standard output");
    Path file = dir.resolve("stdout.yaml");
    Files.writeString(file, refresh.out());
    assertThat(CatalogLoader.withOverrides(file).region("eu-west-1").spotHour("c5.large").live())
        .isTrue();
  }

  @Test
  void whenNothingCanBeFetchedTheOldFileStaysAsItWas() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "catalogVersion: 1\n");
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CliRun refresh =
        CliRun.of(
            "prices",
            "refresh",
            "--region",
            "us-east-1",
            "--output",
            file.toString(),
            "--endpoint-url",
            "http://127.0.0.1:" + closedPort);

    assertThat(refresh.exitCode()).isEqualTo(2);
    assertThat(refresh.err())
        .startsWith("flinkspot: us-east-1: no prices refreshed: Spot prices (AWS EC2")
        .endsWith("(nothing written)\n")
        .hasLineCount(1)
        .doesNotContain("testing", "Exception");
    assertThat(Files.readString(file)).isEqualTo("catalogVersion: 1\n");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
  }
}
