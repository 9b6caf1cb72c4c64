package dev.flinkspot.controller;

import dev.flinkspot.policy.FlinkSpotPolicy;
import dev.flinkspot.policy.PlacementPolicy;
import dev.flinkspot.policy.PolicyLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policies the controller knows, parsed and validated once per change: fed by the policy
 * informer, read by the webhook and the reconcilers.
 */
public final class PolicyIndex implements PolicyLookup {

  private final Map<String, Map<String, PlacementPolicy.Result>> byNamespace =
      new ConcurrentHashMap<>();

  /** Adds or replaces a policy. */
  public PlacementPolicy.Result put(FlinkSpotPolicy policy) {
    String name = policy.getMetadata().getName();
    var result = PlacementPolicy.from(name, policy.getSpec());
    byNamespace
        .computeIfAbsent(policy.getMetadata().getNamespace(), n -> new ConcurrentHashMap<>())
        .put(name, result);
    return result;
  }

  public void remove(FlinkSpotPolicy policy) {
    var policies = byNamespace.get(policy.getMetadata().getNamespace());
    if (policies != null) {
      policies.remove(policy.getMetadata().getName());
    }
  }

  @Override
  public Optional<PlacementPolicy.Result> find(String namespace, String name) {
    var policies = byNamespace.get(namespace);
    return policies == null ? Optional.empty() : Optional.ofNullable(policies.get(name));
  }

  @Override
  public List<String> defaultsIn(String namespace) {
    var policies = byNamespace.get(namespace);
    if (policies == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    policies.forEach(
        (name, r) -> {
          if (r.valid() && r.policy().namespaceDefault()) {
            out.add(name);
          }
        });
    out.sort(null);
    return out;
  }
}
