package dev.flinkspot.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spec.flinkVersion} read as a string, so that a version newer than the Flink operator API
 * on the class path ({@code flink-kubernetes-operator-api} 1.10 knows {@code v1_13}..{@code v1_20})
 * is still accepted. The operator added {@code v2_0} in 1.11 and {@code v2_1}/{@code v2_2} in 1.13
 * (apache/flink-kubernetes-operator, flink-kubernetes-operator-api/.../spec/FlinkVersion.java at
 * the release tags); every {@code v2_N} is accepted here so the next operator release needs no
 * change.
 */
public final class FlinkVersions {

  private static final Pattern VERSION = Pattern.compile("v(\\d{1,2})_(\\d{1,2})");

  /** The values of {@code FlinkVersion} in flink-kubernetes-operator-api 1.10. */
  private static final Set<String> KNOWN_TO_MODEL =
      Set.of("v1_13", "v1_14", "v1_15", "v1_16", "v1_17", "v1_18", "v1_19", "v1_20");

  private FlinkVersions() {}

  /** A Flink version line and release: {@code v2_2} is 2.2. */
  public record Version(int major, int minor) {
    /** {@code 2.2}. */
    @Override
    public String toString() {
      return major + "." + minor;
    }

    /** {@code v2_2}, as in the FlinkDeployment. */
    public String specValue() {
      return "v" + major + "_" + minor;
    }

    public boolean isTwoOrNewer() {
      return major >= 2;
    }
  }

  /** The version of {@code text} when it is one the Flink operator accepts. */
  public static Optional<Version> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    Version v = new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    boolean accepted = (v.major() == 1 && v.minor() >= 13 && v.minor() <= 20) || v.major() == 2;
    return accepted ? Optional.of(v) : Optional.empty();
  }

  /** The version a FlinkDeployment names in {@code spec.flinkVersion}; empty when unset. */
  public static Optional<Version> of(JsonNode deployment) {
    JsonNode node = deployment.path("spec").path("flinkVersion");
    return node.isTextual() ? parse(node.asText()) : Optional.empty();
  }

  /**
   * Refuses a {@code spec.flinkVersion} no Flink operator accepts, naming the field and the fix; an
   * unset one is allowed (the operator's validator reports that itself).
   */
  public static void check(JsonNode flinkVersion, String subject) {
    if (flinkVersion == null || flinkVersion.isMissingNode() || flinkVersion.isNull()) {
      return;
    }
    if (!flinkVersion.isTextual() || parse(flinkVersion.asText()).isEmpty()) {
      throw new UserInputException(
          subject
              + ": spec.flinkVersion = '"
              + YamlFiles.firstLine(flinkVersion.asText(flinkVersion.toString()))
              + "' is not a Flink version the Flink operator accepts: use v1_13 .. v1_20 or v2_0"
              + " .. v2_N (e.g. v1_20, v2_2)");
    }
  }

  /** Whether the 1.10 operator API's {@code FlinkVersion} enum has this value. */
  public static boolean knownToModel(String text) {
    return KNOWN_TO_MODEL.contains(text);
  }
}
