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
   * What {@code --arch any} means: the architecture whose Spot types of the shape cost less on
   * average (estimated Spot, as the report prices them), among those with enough types for two
   * groups; x86_64 on a tie or when neither has prices.
   */
  public static String cheaperArchitecture(
      int vcpu,
      java.math.BigDecimal memoryGiB,
      Sizing sizing,
      PriceCatalog catalog,
      dev.flinkspot.cost.catalog.RegionPriceView prices) {
    String best = "x86_64";
    java.math.BigDecimal bestMean = null;
    for (String arch : List.of("x86_64", "arm64")) {
      List<String> types;
      try {
        types = typesOf(new NodeShape(vcpu, memoryGiB, arch), sizing, catalog);
      } catch (UserInputException e) {
        continue;
      }
      if (types.size() < GROUPS * MIN_TYPES) {
        continue;
      }
      List<String> missing = new ArrayList<>();
      var view = prices.collectingMissing(missing);
      java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
      for (String type : types) {
        sum = sum.add(view.spotHour(type).usdPerHour());
      }
      if (!missing.isEmpty()) {
        continue;
      }
      java.math.BigDecimal mean =
          sum.divide(java.math.BigDecimal.valueOf(types.size()), java.math.MathContext.DECIMAL64);
      if (bestMean == null || mean.compareTo(bestMean) < 0) {
        best = arch;
        bestMean = mean;
      }
    }
    return best;
  }

  /**
   * The types of each Spot group: two groups of at least three distinct types each, split at a
   * generation boundary where one leaves three on both sides (older generations in the first
   * group), otherwise in halves. Fewer than six types cannot make two distinct groups: refused.
   */
  public static List<List<String>> groups(List<String> types) {
    List<String> sorted = new ArrayList<>(types);
    sorted.sort(
        java.util.Comparator.comparing(InstanceTypeChoice::generation).thenComparing(t -> t));
    int n = sorted.size();
    if (n < GROUPS * MIN_TYPES) {
      throw new UserInputException(
          "the catalog has "
              + n
              + " Spot type(s) of that shape and architecture ("
              + String.join(", ", sorted)
              + "); two Spot groups of "
              + MIN_TYPES
              + " distinct types need "
              + GROUPS * MIN_TYPES
              + ": pick another --node-shape or --arch, or add types under instanceTypes in a"
              + " --prices file");
    }
    int split = (n + 1) / 2;
    for (int k = MIN_TYPES; k <= n - MIN_TYPES; k++) {
      if (generation(sorted.get(k - 1)) != generation(sorted.get(k))) {
        split = k;
        break;
      }
    }
    return List.of(List.copyOf(sorted.subList(0, split)), List.copyOf(sorted.subList(split, n)));
  }

  /** The generation digit of an instance type name: 5 for m5d.xlarge, 7 for c7g.large. */
  static int generation(String type) {
    for (char c : type.toCharArray()) {
      if (Character.isDigit(c)) {
        return c - '0';
      }
    }
    return 0;
  }
}
