package dev.flinkspot.testing.aws;

import java.util.Map;

/**
 * Fake credentials for the AWS SDK's default chain, and no instance-metadata lookups: what a test
 * against moto sets before it and clears after it (system properties, read by the SDK).
 */
public final class FakeAwsCredentials {
  private static final Map<String, String> SDK_SETTINGS =
      Map.of(
          "aws.accessKeyId", "testing",
          "aws.secretAccessKey", "testing",
          "aws.disableEc2Metadata", "true");

  private FakeAwsCredentials() {}

  public static void set() {
    SDK_SETTINGS.forEach(System::setProperty);
  }

  public static void clear() {
    SDK_SETTINGS.keySet().forEach(System::clearProperty);
  }
}
