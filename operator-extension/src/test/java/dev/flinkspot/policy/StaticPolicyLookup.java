package dev.flinkspot.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PolicyLookup} over specs held in memory. */
public final class StaticPolicyLookup implements PolicyLookup {

  private final Map<String, PlacementPolicy.Result> policies = new ConcurrentHashMap<>();

  public StaticPolicyLookup put(String namespace, String name, FlinkSpotPolicySpec spec) {
    policies.put(namespace + "/" + name, PlacementPolicy.from(name, spec));
    return this;
  }

  @Override
  public Optional<PlacementPolicy.Result> find(String namespace, String name) {
    return Optional.ofNullable(policies.get(namespace + "/" + name));
  }

  @Override
  public List<String> defaultsIn(String namespace) {
    return policies.entrySet().stream()
        .filter(e -> e.getKey().startsWith(namespace + "/"))
        .filter(e -> e.getValue().valid() && e.getValue().policy().namespaceDefault())
        .map(e -> e.getKey().substring(namespace.length() + 1))
        .sorted()
        .toList();
  }
}
