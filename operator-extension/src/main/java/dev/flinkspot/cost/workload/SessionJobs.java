package dev.flinkspot.cost.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import java.util.ArrayList;
import java.util.List;

/** The FlinkSessionJobs of a session cluster, as far as cost goes: each one's parallelism. */
final class SessionJobs {
  private SessionJobs() {}

  /** Each job's {@code spec.job.parallelism}, in file order; a job without one is refused. */
  static List<Integer> parallelisms(List<JsonNode> sessionJobs, String cluster) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode job : sessionJobs) {
      String subject =
          cluster + ": FlinkSessionJob " + Bounds.shown(job.path("metadata").path("name").asText());
      JsonNode parallelism = job.path("spec").path("job").path("parallelism");
      if (parallelism.isMissingNode() || parallelism.isNull()) {
        throw new UserInputException(
            subject + ": spec.job.parallelism is not set: set it, or pass --parallelism N");
      }
      out.add(
          Bounds.count(
              subject + ": spec.job.parallelism", parallelism.asText(), 1, Bounds.MAX_PARALLELISM));
    }
    return List.copyOf(out);
  }

  /** {@code FlinkSessionJobs a (parallelism 4), b (parallelism 2)}. */
  static String describe(List<JsonNode> sessionJobs) {
    List<String> parts = new ArrayList<>();
    for (JsonNode job : sessionJobs) {
      parts.add(
          job.path("metadata").path("name").asText()
              + " (parallelism "
              + job.path("spec").path("job").path("parallelism").asText()
              + ")");
    }
    return "FlinkSessionJobs " + String.join(", ", parts);
  }
}
