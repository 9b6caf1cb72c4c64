package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.FlinkVersions;
import dev.flinkspot.common.FlinkVersions.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which Flink version a deployment names, and whether Amazon Managed Service for Apache Flink has a
 * runtime for it. The KPU model is the same for every runtime, so the version changes no figure,
 * only the notes.
 */
final class MsfRuntimes {

  /**
   * The MSF runtimes of the Flink versions the Flink operator knows (RuntimeEnvironment FLINK-1_13,
   * FLINK-1_15, FLINK-1_18, FLINK-1_19, FLINK-1_20, FLINK-2_2): the MSF developer guide's release
   * pages, https://docs.aws.amazon.com/managed-flink/latest/java/flink-2-2.html and the pages of
   * the earlier releases, and the CreateApplication API's RuntimeEnvironment,
   * https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html .
   */
  static final Set<String> RUNTIMES = Set.of("1.13", "1.15", "1.18", "1.19", "1.20", "2.2");

  private MsfRuntimes() {}

  /** The notes for {@code spec} (raw; null when only the model was given). */
  static List<String> notes(JsonNode spec) {
    if (spec == null) {
      return List.of();
    }
    List<String> notes = new ArrayList<>();
    JsonNode text = spec.path("flinkVersion");
    Optional<Version> version =
        text.isTextual() ? FlinkVersions.parse(text.asText()) : Optional.empty();
    if (version.isEmpty()) {
      notes.add("Flink version: spec.flinkVersion is not set; priced the same for every runtime");
      return notes;
    }
    Version v = version.get();
    notes.add(
        "Flink version "
            + v
            + " (spec.flinkVersion "
            + v.specValue()
            + "); MSF KPU prices are the same for every runtime");
    if (!RUNTIMES.contains(v.toString())) {
      notes.add(
          "MSF has no Flink "
              + v
              + " runtime (it offers "
              + String.join(", ", RUNTIMES.stream().sorted().toList())
              + "): the MSF side assumes the same job on the nearest runtime");
    }
    return notes;
  }
}
