package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flinkspot prices refresh} without AWS: help, bad input and missing credentials are one
 * line and exit 2, and nothing is written. (The refresh itself: {@code PriceRefreshMotoIT}.)
 */
class PricesRefreshCommandTest {
  /** The SDK's system-property switches that keep the credential chain on this machine. */
  static final Map<String, String> NO_CREDENTIALS =
      Map.of(
          "aws.sharedCredentialsFile", "/nonexistent/flinkspot-test/credentials",
          "aws.configFile", "/nonexistent/flinkspot-test/config",
          "aws.disableEc2Metadata", "true");

  @TempDir Path dir;

  @BeforeEach
  void isolateFromTheMachinesCredentials() {
    NO_CREDENTIALS.forEach(System::setProperty);
  }

  @AfterEach
  void restore() {
    NO_CREDENTIALS.keySet().forEach(System::clearProperty);
  }

  @Test
  void helpDescribesOutputCredentialsAndExitCodes() {
    CliRun run = CliRun.of("prices", "refresh", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--region=REGION", "--output=FILE", "--prices=FILE")
        .contains("DescribeSpotPriceHistory", "GetProducts", "AWS_ENDPOINT_URL")
        .contains("standard output", "Exit codes")
        .doesNotContain("--endpoint-url");
  }

  @Test
  void withoutCredentialsItSaysSoInOneLine() {
    List<String> credentialVariables =
        List.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    credentialVariables.forEach(
        name -> assumeTrue(System.getenv(name) == null, name + " is set in this environment"));
    Path file = dir.resolve("prices.yaml");

    CliRun run =
        CliRun.of("prices", "refresh", "--region", "us-east-1", "--output", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "flinkspot: no AWS credentials found: set AWS_PROFILE or"
                + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run on an instance/pod with a"
                + " role)\n");
    assertThat(run.out()).isEmpty();
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void anUnknownRegionIsNamedWithTheFix() {
    CliRun run = CliRun.of("prices", "refresh", "--region", "us-east-7");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "flinkspot: --region: unknown AWS region 'us-east-7': use a region code such as"
                + " us-east-1\n");
  }

  @Test
  void anUnwritableOutputIsNamedBeforeAnyCall() {
    Path file = dir.resolve("missing-dir/prices.yaml");

    CliRun run =
        CliRun.of("prices", "refresh", "--region", "us-east-1", "--output", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("flinkspot: --output " + file + ": directory ");
    assertThat(run.err().lines()).hasSize(1);
    assertThat(Files.exists(file.getParent())).isFalse();
  }

  @Test
  void aMissingRegionIsAUsageError() {
    CliRun run = CliRun.of("prices", "refresh");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--region").hasLineCount(1);
  }

  @Test
  void aBadEndpointIsNamed() {
    CliRun run =
        CliRun.of("prices", "refresh", "--region", "us-east-1", "--endpoint-url", "localhost");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--endpoint-url localhost: use an http(s) URL");
  }
}
