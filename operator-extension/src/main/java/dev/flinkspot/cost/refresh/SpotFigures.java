package dev.flinkspot.cost.refresh;

import dev.flinkspot.cost.catalog.Figure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns Spot price records into {@code ec2.spotHour.<type>} figures: for each type, the latest
 * Linux/UNIX price in each availability zone of the region, and the figure is the mean of those
 * per-zone prices (the zones and the range go into the figure's source).
 */
final class SpotFigures {
  static final String UNIT = "USD/instance-hour";

  /** The product descriptions of Linux Spot prices (the second is what older accounts see). */
  static final List<String> LINUX_PRODUCTS = List.of("Linux/UNIX", "Linux/UNIX (Amazon VPC)");

  private SpotFigures() {}

  static Map<String, Figure> from(
      List<SpotPriceSample> samples,
      String region,
      Collection<String> instanceTypes,
      LocalDate asOf) {
    Set<String> wanted = Set.copyOf(instanceTypes);
    // type -> zone -> latest sample
    Map<String, Map<String, SpotPriceSample>> latest = new TreeMap<>();
    for (SpotPriceSample sample : samples) {
      if (!wanted.contains(sample.instanceType())
          || sample.availabilityZone() == null
          || !isZoneOf(sample.availabilityZone(), region)
          || !LINUX_PRODUCTS.contains(sample.productDescription())
          || sample.usdPerHour() == null
          || sample.usdPerHour().signum() <= 0
          || sample.timestamp() == null) {
        continue;
      }
      latest
          .computeIfAbsent(sample.instanceType(), t -> new TreeMap<>())
          .merge(
              sample.availabilityZone(),
              sample,
              (a, b) -> b.timestamp().isAfter(a.timestamp()) ? b : a);
    }
    Map<String, Figure> figures = new TreeMap<>();
    latest.forEach((type, byZone) -> figures.put(type, figure(region, byZone, asOf)));
    return figures;
  }

  /** A regular availability zone of the region (a letter after the code): no Local Zones. */
  private static boolean isZoneOf(String zone, String region) {
    return zone.length() == region.length() + 1
        && zone.startsWith(region)
        && Character.isLowerCase(zone.charAt(region.length()));
  }

  private static Figure figure(String region, Map<String, SpotPriceSample> byZone, LocalDate asOf) {
    List<BigDecimal> prices = byZone.values().stream().map(SpotPriceSample::usdPerHour).toList();
    BigDecimal sum = prices.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal mean = sum.divide(BigDecimal.valueOf(prices.size()), 6, RoundingMode.HALF_UP);
    BigDecimal min = prices.stream().min(BigDecimal::compareTo).orElseThrow();
    BigDecimal max = prices.stream().max(BigDecimal::compareTo).orElseThrow();
    String zones = byZone.keySet().stream().collect(Collectors.joining(", "));
    return new Figure(
        RefreshResult.plain(mean),
        UNIT,
        asOf,
        "AWS EC2 DescribeSpotPriceHistory ("
            + region
            + ", Linux/UNIX): mean of the latest price in each of "
            + prices.size()
            + (prices.size() == 1 ? " zone (" : " zones (")
            + zones
            + "), range "
            + RefreshResult.plain(min).toPlainString()
            + "-"
            + RefreshResult.plain(max).toPlainString());
  }
}
