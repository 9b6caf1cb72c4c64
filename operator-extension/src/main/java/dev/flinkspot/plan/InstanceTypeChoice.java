package dev.flinkspot.plan;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.catalog.InstanceTypeSpec;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.nodes.NodeAllocatable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Picks the Spot instance types of one shape from the catalog and splits them into the Spot node
 * groups: at least three types, so a reclaimed pool leaves others to draw from.
 */
public final class InstanceTypeChoice {
  static final int GROUPS = ClusterConfigRules.MIN_SPOT_GROUPS;
  static final int MIN_TYPES = ClusterConfigRules.MIN_SPOT_TYPES;

  private InstanceTypeChoice() {}

  /** The catalog's instance types of {@code shape} on which the TaskManagers fit, by name. */
  public static List<String> typesOf(NodeShape shape, Sizing sizing, PriceCatalog catalog) {
    List<String> types = new ArrayList<>();
    List<String> tooSmall = new ArrayList<>();
    for (Map.Entry<String, InstanceTypeSpec> e : catalog.instanceTypes().entrySet()) {
      if (!shape.matches(e.getValue())) {
        continue;
      }
      int fit =
          NodeAllocatable.of(e.getValue())
              .podsThatFit(sizing.taskManager().cpu(), sizing.taskManager().memoryGiB());
      (fit >= sizing.taskManagersPerNode() ? types : tooSmall).add(e.getKey());
    }
    types.sort(null);
    tooSmall.sort(null);
    if (types.size() < MIN_TYPES) {
      throw new UserInputException(
          "--node-shape "
              + shape
              + ": the catalog has "
              + types.size()
              + " instance type(s) of that shape"
              + (types.isEmpty() ? "" : " (" + String.join(", ", types) + ")")
              + (tooSmall.isEmpty() ? "" : "; too small after EKS reservations: " + tooSmall)
              + ", Spot needs at least "
              + MIN_TYPES
              + ": pick another --node-shape or --architecture, or add types under instanceTypes"
              + " in a --prices file");
    }
    return types;
  }

  /**
   * The types of each Spot group: halves of the list (the first and the last three when there are
   * fewer than six, so every group keeps three).
   */
  public static List<List<String>> groups(List<String> types) {
    int n = types.size();
    if (n < GROUPS * MIN_TYPES) {
      return List.of(types.subList(0, MIN_TYPES), types.subList(n - MIN_TYPES, n));
    }
    int half = (n + 1) / 2;
    return List.of(types.subList(0, half), types.subList(half, n));
  }
}
