package dev.flinkspot.plan;

import dev.flinkspot.policy.FlinkSpotPolicySpec.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Whether a policy's node selector and tolerations fit the nodes meant for one component. */
final class PoolAgreement {

  private PoolAgreement() {}

  static List<String> check(
      String component,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      List<NodePool> pools) {
    List<String> problems = new ArrayList<>();
    for (NodePool pool : pools) {
      nodeSelector.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .filter(e -> !e.getValue().equals(pool.labels().get(e.getKey())))
          .forEach(
              e ->
                  problems.add(
                      "policy "
                          + component
                          + " nodeSelector "
                          + e.getKey()
                          + "="
                          + e.getValue()
                          + " does not match the labels of "
                          + pool.name()
                          + " "
                          + pool.labels()));
      for (NodePool.Taint taint : pool.taints()) {
        if (tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
          problems.add(
              "policy "
                  + component
                  + " tolerations do not tolerate the taint "
                  + taint
                  + " of "
                  + pool.name());
        }
      }
    }
    return problems;
  }

  /** Kubernetes' rule: key (or empty key with Exists), operator, value and effect. */
  static boolean tolerates(Toleration toleration, NodePool.Taint taint) {
    String effect = toleration.effect() == null ? "" : toleration.effect();
    if (!effect.isEmpty() && !effect.equals(taint.effect())) {
      return false;
    }
    String key = toleration.key() == null ? "" : toleration.key();
    String operator = toleration.operator() == null ? "Equal" : toleration.operator();
    if (key.isEmpty()) {
      return operator.equals("Exists");
    }
    if (!key.equals(taint.key())) {
      return false;
    }
    return operator.equals("Exists")
        || (toleration.value() == null ? "" : toleration.value()).equals(taint.value());
  }
}
