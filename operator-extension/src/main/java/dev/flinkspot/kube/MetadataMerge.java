package dev.flinkspot.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of an object flinkspot updates but shares with others: our labels and annotations
 * over theirs, our controller owner reference instead of any other controller (their other owner
 * references kept), everything else (resourceVersion included, so an update fails on a newer edit)
 * as observed.
 */
public final class MetadataMerge {
  private MetadataMerge() {}

  public static ObjectMeta ours(ObjectMeta observed, ObjectMeta desired) {
    List<OwnerReference> owners = new ArrayList<>();
    if (observed.getOwnerReferences() != null) {
      observed.getOwnerReferences().stream()
          .filter(r -> !Boolean.TRUE.equals(r.getController()))
          .forEach(owners::add);
    }
    owners.addAll(desired.getOwnerReferences());
    return new ObjectMetaBuilder(observed)
        .withLabels(overlay(observed.getLabels(), desired.getLabels()))
        .withAnnotations(overlay(observed.getAnnotations(), desired.getAnnotations()))
        .withOwnerReferences(owners)
        .build();
  }

  private static Map<String, String> overlay(Map<String, String> theirs, Map<String, String> ours) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (theirs != null) {
      merged.putAll(theirs);
    }
    if (ours != null) {
      merged.putAll(ours);
    }
    return merged;
  }
}
