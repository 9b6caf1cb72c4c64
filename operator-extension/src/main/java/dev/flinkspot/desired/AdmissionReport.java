package dev.flinkspot.desired;

import dev.flinkspot.scaling.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code DeploymentsAdmitted} condition of a policy while no admission webhook runs: False
 * naming the governed deployments the webhook would deny ({@link
 * DesiredDeployment#refusalWithoutAdmission}) and their fix; absent otherwise. Pure.
 */
public final class AdmissionReport {

  public static final String DEPLOYMENTS_ADMITTED = "DeploymentsAdmitted";
  private static final int SHOWN = 3;

  private AdmissionReport() {}

  /** The condition's status, reason and message. */
  public record Summary(String status, String reason, String message) {}

  /**
   * @param refused per refused deployment (sorted by name), the finding that refuses it
   * @return the condition, or null when nothing is refused
   */
  public static Summary of(Map<String, Finding> refused) {
    if (refused.isEmpty()) {
      return null;
    }
    List<String> named = new ArrayList<>();
    refused.forEach((d, f) -> named.add(d + ": " + f.field() + ": " + f.message()));
    // Bounded: the first few in full (kubectl describe shows a condition message whole).
    int shown = Math.min(named.size(), SHOWN);
    return new Summary(
        "False",
        "WouldBeDenied",
        "the admission webhook is off (controller --no-webhook) and would deny "
            + refused.size()
            + " FlinkDeployment(s), left as they are (no placement, Reactive Mode defaults or"
            + " HPA) until fixed: "
            + String.join("; ", named.subList(0, shown))
            + (named.size() > shown ? "; and " + (named.size() - shown) + " more" : ""));
  }
}
