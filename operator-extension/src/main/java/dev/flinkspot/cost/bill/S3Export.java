package dev.flinkspot.cost.bill;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.refresh.AwsPriceApis;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An export in S3 ({@code s3://bucket/prefix}), copied to a local folder through the AWS SDK so
 * that DuckDB reads it like any other: the listing is checked against the same bounds (file count,
 * total size) before anything is downloaded, and every call has a deadline.
 */
public final class S3Export {
  private S3Export() {}

  /**
   * Downloads the Parquet/CSV objects under {@code uri} into {@code into}, keeping their relative
   * paths. Credentials come from the SDK's default chain.
   *
   * @param endpoint an endpoint override (an S3-compatible server), or null
   */
  public static Path download(String uri, String region, URI endpoint, Path into) {
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new UserInputException("--export " + uri + ": no bucket: write s3://bucket/prefix/");
    }
    var builder =
        S3Client.builder()
            .region(Region.of(region))
            .credentialsProvider(AwsPriceApis.requireCredentials())
            .httpClient(
                ApacheHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(10)));
    if (endpoint != null) {
      builder.endpointOverride(endpoint).forcePathStyle(true);
    }
    try (S3Client s3 = builder.build()) {
      List<S3Object> objects = new ArrayList<>();
      long bytes = 0;
      for (S3Object o :
          s3.listObjectsV2Paginator(
                  ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
              .contents()) {
        String key = o.key().toLowerCase(Locale.ROOT);
        if (!key.endsWith(".parquet") && !key.endsWith(".csv") && !key.endsWith(".csv.gz")) {
          continue;
        }
        objects.add(o);
        bytes += o.size();
        if (objects.size() > ExportFiles.MAX_FILES || bytes > ExportFiles.MAX_TOTAL_BYTES) {
          throw new UserInputException(
              "--export "
                  + uri
                  + ": more than 10,000 files or 64 GiB: point at one billing period's prefix");
        }
      }
      if (objects.isEmpty()) {
        throw new UserInputException(
            "--export " + uri + ": no .parquet, .csv or .csv.gz object under it: check the prefix");
      }
      for (S3Object o : objects) {
        Path target = into.resolve(o.key().substring(prefix.length()).replaceFirst("^/+", ""));
        if (!target.normalize().startsWith(into)) {
          throw new UserInputException(
              "--export " + uri + ": object key " + o.key() + " leaves the prefix");
        }
        Files.createDirectories(target.getParent());
        s3.getObject(GetObjectRequest.builder().bucket(bucket).key(o.key()).build(), target);
      }
      return into;
    } catch (SdkException e) {
      throw new UserInputException(
          "--export "
              + uri
              + ": S3 refused or failed: "
              + firstLine(e.getMessage())
              + " (check the bucket, the region --s3-region and s3:ListBucket/s3:GetObject)",
          e);
    } catch (IOException e) {
      throw new UserInputException(
          "--export " + uri + ": cannot write locally: " + e.getMessage(), e);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
