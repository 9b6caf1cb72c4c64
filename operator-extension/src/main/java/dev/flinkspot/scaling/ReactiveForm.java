package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Reactive Mode form of a governed FlinkDeployment, as the webhook and the reconciler both
 * write it: {@link ReactiveDefaults} where they may apply, then {@link ReactiveValidator} on the
 * result. Pure.
 *
 * <p>The Flink operator refuses to change {@code spec.mode} of a deployed FlinkDeployment ({@code
 * DefaultValidator.validateSpecChange}, 1.10: "Cannot switch from native kubernetes to standalone
 * kubernetes cluster"), so {@code mode} is only defaulted before the first deployment or back to
 * the standalone mode it already runs in. A cluster that stays native gets no defaults at all:
 * {@code scheduler-mode: REACTIVE} outside a standalone application cluster stops the JobManager
 * from starting. A session cluster (no {@code spec.job}) gets none either, for the same reason.
 */
public final class ReactiveForm {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReactiveForm() {}

  /**
   * The deployment with its defaults, what was added, and the findings on the result.
   *
   * @param defaultsBlocked why no default was applied although scaling is on (empty otherwise)
   */
  public record Result(
      ObjectNode desired,
      List<String> added,
      List<Finding> findings,
      Optional<String> defaultsBlocked) {}

  /**
   * The mode the Flink operator last deployed, from {@code
   * status.reconciliationStatus.lastReconciledSpec} (lower case; {@code native} when unset there);
   * empty while it has deployed nothing, when any change is still free.
   */
  public static Optional<String> deployedMode(JsonNode deploymentWithStatus) {
    String last =
        deploymentWithStatus
            .path("status")
            .path("reconciliationStatus")
            .path("lastReconciledSpec")
            .asText("");
    if (last.isEmpty()) {
      return Optional.empty();
    }
    JsonNode spec;
    try {
      JsonNode wrapper = MAPPER.readTree(last);
      // Operator 1.5+ writes {"spec": ..., "resource_metadata": ...}; older ones the bare spec.
      spec = wrapper.has("resource_metadata") ? wrapper.path("spec") : wrapper;
    } catch (Exception e) {
      // Unreadable: deployed in some mode we cannot tell, so change nothing the operator forbids.
      return Optional.of("unknown");
    }
    String mode = spec.path("mode").asText("");
    return Optional.of(mode.isBlank() ? "native" : mode.toLowerCase(Locale.ROOT));
  }

  /**
   * {@code status.reconciliationStatus.lastReconciledSpec} reduced to what {@link #deployedMode}
   * reads (whether it is set, and the mode), so that the controller's cache need not hold the
   * operator's copy of the whole spec: {@code deployedMode} answers the same for both.
   */
  public static String reducedLastReconciledSpec(String lastReconciledSpec) {
    if (lastReconciledSpec == null || lastReconciledSpec.isEmpty()) {
      return lastReconciledSpec;
    }
    JsonNode spec;
    try {
      JsonNode wrapper = MAPPER.readTree(lastReconciledSpec);
      spec = wrapper.has("resource_metadata") ? wrapper.path("spec") : wrapper;
    } catch (Exception e) {
      return "unreadable";
    }
    ObjectNode reduced = MAPPER.createObjectNode();
    reduced.putObject("resource_metadata");
    ObjectNode reducedSpec = reduced.putObject("spec");
    if (spec.has("mode")) {
      reducedSpec.set("mode", spec.get("mode"));
    }
    return reduced.toString();
  }

  /**
   * Applies the defaults that are allowed and validates the result.
   *
   * @param deployment raw FlinkDeployment JSON (already placed, if placement applies)
   * @param deployedMode {@link #deployedMode} of the stored object
   * @param hpas the HPAs in the deployment's namespace
   */
  public static Result of(
      JsonNode deployment,
      ScalingPolicy policy,
      Optional<String> deployedMode,
      List<HorizontalPodAutoscaler> hpas) {
    ObjectNode original = (ObjectNode) deployment;
    if (policy == null || !policy.enabled()) {
      return new Result(original, List.of(), List.of(), Optional.empty());
    }
    JsonNode spec = deployment.path("spec");
    if (!spec.path("job").isObject()) {
      return new Result(
          original,
          List.of(),
          List.of(
              Finding.warning(
                  Finding.Reason.SessionCluster,
                  "spec.job",
                  "spec.job is unset, so this is a session cluster: Reactive Mode runs only as an"
                      + " application cluster, so no Reactive Mode defaults are added; give it a"
                      + " spec.job, or govern it with a policy without scaling")),
          Optional.of("session cluster"));
    }
    String mode = spec.path("mode").asText("").trim().toLowerCase(Locale.ROOT);
    boolean locked = deployedMode.isPresent() && !ReactiveDefaults.MODE.equals(deployedMode.get());
    Optional<String> blocked = Optional.empty();
    ObjectNode desired = original;
    List<String> added = List.of();
    if ("native".equals(mode)) {
      blocked = Optional.of("spec.mode is native");
    } else if (mode.isEmpty() && locked) {
      blocked = Optional.of("deployed in " + deployedMode.get() + " mode");
    } else {
      var outcome = ReactiveDefaults.apply(original, policy);
      desired = outcome.defaulted();
      added = outcome.added();
    }
    List<Finding> findings = new ArrayList<>();
    for (Finding f : ReactiveValidator.validate(desired, policy, hpas)) {
      if (f.reason() == Finding.Reason.NativeMode && locked) {
        findings.add(
            new Finding(
                f.severity(),
                f.reason(),
                f.field(),
                "the Flink operator deployed this cluster in "
                    + deployedMode.get()
                    + " mode and refuses to change spec.mode afterwards, so Reactive Mode and its"
                    + " defaults cannot apply in place: take a savepoint and recreate the"
                    + " FlinkDeployment with spec.mode: standalone"));
      } else {
        findings.add(f);
      }
    }
    return new Result(desired, added, List.copyOf(findings), blocked);
  }
}
