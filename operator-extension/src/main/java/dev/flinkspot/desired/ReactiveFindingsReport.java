package dev.flinkspot.desired;

import dev.flinkspot.scaling.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code ReactiveModeReady} condition of a scaling policy: the Reactive Mode findings of its
 * governed deployments (the same findings the webhook returns as warnings and the reconciler
 * records as Events), summarised. Pure.
 *
 * <p>False (reason {@code Errors}) when a deployment has an Error finding (its scaling cannot work
 * as configured); True with reason {@code Warnings} when only warnings remain; True with reason
 * {@code NoFindings} otherwise.
 */
public final class ReactiveFindingsReport {

  public static final String REACTIVE_MODE_READY = "ReactiveModeReady";
  private static final int NAMED = 5;

  private ReactiveFindingsReport() {}

  /** The condition's status, reason and message. */
  public record Summary(String status, String reason, String message) {}

  /**
   * @param findings per governed deployment (sorted by name), its findings
   */
  public static Summary of(Map<String, List<Finding>> findings) {
    List<String> withErrors = new ArrayList<>();
    List<String> withWarnings = new ArrayList<>();
    findings.forEach(
        (deployment, list) -> {
          if (list.isEmpty()) {
            return;
          }
          String named =
              deployment
                  + " ("
                  + list.stream()
                      .map(f -> f.reason().name())
                      .distinct()
                      .collect(Collectors.joining(", "))
                  + ")";
          if (list.stream().anyMatch(f -> f.severity() == Finding.Severity.Error)) {
            withErrors.add(named);
          } else {
            withWarnings.add(named);
          }
        });
    String see = "; kubectl describe flinkdeployment <name> shows each finding and its fix";
    if (!withErrors.isEmpty()) {
      return new Summary(
          "False",
          "Errors",
          withErrors.size()
              + " deployment(s) cannot scale as configured: "
              + names(withErrors)
              + (withWarnings.isEmpty() ? "" : "; with warnings: " + names(withWarnings))
              + see);
    }
    if (!withWarnings.isEmpty()) {
      return new Summary(
          "True",
          "Warnings",
          withWarnings.size() + " deployment(s) with warnings: " + names(withWarnings) + see);
    }
    return new Summary(
        "True",
        "NoFindings",
        "Reactive Mode is configured as it should be on " + findings.size() + " deployment(s)");
  }

  private static String names(List<String> named) {
    return named.size() <= NAMED
        ? String.join(", ", named)
        : String.join(", ", named.subList(0, NAMED)) + " and " + (named.size() - NAMED) + " more";
  }
}
