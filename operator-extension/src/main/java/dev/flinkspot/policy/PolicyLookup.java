package dev.flinkspot.policy;

import java.util.List;
import java.util.Optional;

/** Read access to the policies the controller knows (an informer cache, or a map in tests). */
public interface PolicyLookup {

  /** The named policy, parsed and validated, if it exists. */
  Optional<PlacementPolicy.Result> find(String namespace, String name);

  /** Names of the policies in the namespace whose spec says {@code namespaceDefault: true}. */
  List<String> defaultsIn(String namespace);
}
