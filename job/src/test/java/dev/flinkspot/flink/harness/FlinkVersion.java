package dev.flinkspot.flink.harness;

import org.apache.flink.runtime.util.EnvironmentInformation;

/** The Flink release on this class path (the harness runs it): 1.20 or 2.x. */
public final class FlinkVersion {
  private FlinkVersion() {}

  /** {@code 1.20.0}, {@code 2.2.1}. */
  public static String release() {
    return EnvironmentInformation.getVersion();
  }

  /** As a FlinkDeployment's {@code spec.flinkVersion}: {@code v1_20}, {@code v2_2}. */
  public static String specValue() {
    String[] parts = release().split("\\.");
    return "v" + parts[0] + "_" + parts[1];
  }

  /** Whether this is Flink 2.0 or later (renamed adaptive-scheduler keys, FLIP-472). */
  public static boolean isTwo() {
    return release().startsWith("2.");
  }
}
