package dev.flinkspot.cost.refresh;

import dev.flinkspot.cost.catalog.Figure;
import dev.flinkspot.cost.refresh.ManagedFlinkFigures.Kind;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Refreshes one region's prices from the three sources: On-Demand and Managed Flink prices from the
 * Price List, Spot prices from the Spot price history. A source that fails leaves its figures out
 * and says why; figures AWS did not return are left out too (absent means unknown).
 */
public final class PriceRefresh {
  private final OnDemandPriceSource onDemand;
  private final SpotPriceSource spot;
  private final ManagedFlinkPriceSource managedFlink;
  private final Clock clock;

  public PriceRefresh(
      OnDemandPriceSource onDemand,
      SpotPriceSource spot,
      ManagedFlinkPriceSource managedFlink,
      Clock clock) {
    this.onDemand = onDemand;
    this.spot = spot;
    this.managedFlink = managedFlink;
    this.clock = clock;
  }

  /** The figures of {@code region} for {@code instanceTypes}, dated today by the clock. */
  public RefreshResult refresh(String region, Collection<String> instanceTypes) {
    return refresh(region, instanceTypes, step -> {});
  }

  /** As {@link #refresh(String, Collection)}, telling {@code progress} each source it asks. */
  public RefreshResult refresh(
      String region, Collection<String> instanceTypes, Consumer<String> progress) {
    List<String> types = List.copyOf(new TreeSet<>(instanceTypes));
    LocalDate asOf = LocalDate.now(clock);
    List<String> missing = new ArrayList<>();

    Map<String, Figure> spotHour =
        fetch(
            "Spot",
            progress,
            () -> SpotFigures.from(spot.spotPrices(region, types), region, types, asOf),
            types,
            missing);
    Map<String, Figure> onDemandHour =
        fetch(
            "On-Demand",
            progress,
            () -> OnDemandFigures.from(onDemand.ec2Products(region, types), region, types, asOf),
            types,
            missing);
    Map<Kind, Figure> managed =
        fetch(
            "Managed Flink",
            progress,
            () -> ManagedFlinkFigures.from(managedFlink.managedFlinkProducts(region), region, asOf),
            Arrays.stream(Kind.values()).toList(),
            missing);

    return new RefreshResult(
        region, asOf, ManagedFlinkFigures.toPrices(managed), onDemandHour, spotHour, missing);
  }

  /**
   * Runs one source: its figures, with what it did not return (or why it failed) added to {@code
   * missing}.
   */
  private static <K> Map<K, Figure> fetch(
      String kind,
      Consumer<String> progress,
      Supplier<Map<K, Figure>> source,
      List<K> wanted,
      List<String> missing) {
    progress.accept("asking AWS for " + kind + " prices");
    try {
      Map<K, Figure> figures = source.get();
      List<String> absent =
          wanted.stream().filter(k -> !figures.containsKey(k)).map(PriceRefresh::name).toList();
      if (absent.size() > 1 && absent.size() == wanted.size()) {
        missing.add(kind + " not returned by AWS for any of the " + wanted.size() + " asked for");
      } else if (!absent.isEmpty()) {
        missing.add(kind + " not returned by AWS for " + String.join(", ", absent));
      }
      return figures;
    } catch (PriceSourceException e) {
      missing.add(kind + " prices (" + e.getMessage() + ")");
      return Map.of();
    }
  }

  private static String name(Object key) {
    return key instanceof Kind kind ? "managedFlink." + kind.field : key.toString();
  }
}
