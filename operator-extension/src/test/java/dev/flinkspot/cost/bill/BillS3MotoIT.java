package dev.flinkspot.cost.bill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.cli.CliRun;
import dev.flinkspot.testing.aws.FakeAwsCredentials;
import dev.flinkspot.testing.aws.MotoServer;
import dev.flinkspot.testing.aws.MotoServerExtension;
import dev.flinkspot.testing.kube.RepoRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code flinkspot bill --export s3://...} through the real AWS SDK against a real local
 * S3-compatible server (moto): the export's data files are listed under the prefix, downloaded (its
 * metadata files skipped) and billed exactly as the local copy is.
 */
@ExtendWith(MotoServerExtension.class)
class BillS3MotoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void credentials() {
    FakeAwsCredentials.set();
  }

  @AfterAll
  static void clearCredentials() {
    FakeAwsCredentials.clear();
  }

  @Test
  void anExportInS3IsBilledLikeTheLocalCopy(MotoServer moto) throws Exception {
    var example = RepoRoot.find().resolve("k8s/examples/billing/cur2-stock-ticker.csv");
    try (S3Client s3 =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(moto.endpoint())
            .forcePathStyle(true)
            .build()) {
      s3.createBucket(b -> b.bucket("billing"));
      s3.putObject(
          b -> b.bucket("billing").key("cur/flinkspot/data/BILLING_PERIOD=2026-08/part-0.csv"),
          RequestBody.fromFile(example));
      s3.putObject(
          b -> b.bucket("billing").key("cur/flinkspot/metadata/manifest.json"),
          RequestBody.fromString("{}"));
    }

    CliRun s3 =
        CliRun.of(
            "bill",
            "--export",
            "s3://billing/cur/flinkspot/",
            "--endpoint-url",
            moto.endpoint().toString(),
            "--format",
            "json");
    CliRun local = CliRun.of("bill", "--export", example.toString(), "--format", "json");

    assertThat(s3.exitCode()).as(s3.err()).isZero();
    JsonNode fromS3 = JSON.readTree(s3.out());
    JsonNode fromDisk = JSON.readTree(local.out());
    assertThat(fromS3.at("/files").asInt()).isEqualTo(1);
    assertThat(fromS3.at("/totalUsd")).isEqualTo(fromDisk.at("/totalUsd"));
    assertThat(fromS3.at("/jobs")).isEqualTo(fromDisk.at("/jobs"));

    CliRun missing =
        CliRun.of(
            "bill",
            "--export",
            "s3://billing/nothing-here/",
            "--endpoint-url",
            moto.endpoint().toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no .parquet, .csv or .csv.gz object under it");
  }
}
