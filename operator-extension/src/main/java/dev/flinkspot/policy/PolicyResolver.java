package dev.flinkspot.policy;

import java.util.List;
import java.util.Map;

/**
 * Which policy governs a FlinkDeployment: the one its {@code flinkspot.dev/policy} label names, or
 * else its namespace's default policy. An empty label value opts a deployment out of the default.
 */
public final class PolicyResolver {

  private PolicyResolver() {}

  /** The result of resolving a deployment's policy. */
  public sealed interface Resolution {}

  /** The deployment has not opted in (no label, no namespace default, or an empty label). */
  public record NotOptedIn() implements Resolution {}

  /** The deployment names a policy that does not exist. */
  public record Missing(String policyName) implements Resolution {}

  /** The named policy exists but is invalid. */
  public record Invalid(String policyName, String message) implements Resolution {}

  /** More than one policy claims to be the namespace default. */
  public record AmbiguousDefault(List<String> policyNames) implements Resolution {}

  /** The deployment is governed by a valid policy. */
  public record Governed(PlacementPolicy policy) implements Resolution {}

  public static Resolution resolve(
      String namespace, Map<String, String> labels, PolicyLookup lookup) {
    String named = labels == null ? null : labels.get(FlinkSpotPolicy.POLICY_LABEL);
    if (named != null) {
      if (named.isBlank()) {
        return new NotOptedIn();
      }
      return lookup
          .find(namespace, named)
          .<Resolution>map(
              r -> r.valid() ? new Governed(r.policy()) : new Invalid(named, r.invalidMessage()))
          .orElseGet(() -> new Missing(named));
    }
    List<String> defaults = lookup.defaultsIn(namespace);
    if (defaults.isEmpty()) {
      return new NotOptedIn();
    }
    if (defaults.size() > 1) {
      return new AmbiguousDefault(defaults.stream().sorted().toList());
    }
    return resolve(namespace, Map.of(FlinkSpotPolicy.POLICY_LABEL, defaults.get(0)), lookup);
  }
}
