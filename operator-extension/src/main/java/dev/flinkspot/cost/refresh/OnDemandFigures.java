package dev.flinkspot.cost.refresh;

import dev.flinkspot.cost.catalog.Figure;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns EC2 price-list documents into {@code ec2.onDemandHour.<type>} figures. Only Linux,
 * shared-tenancy, no-pre-installed-software, used-capacity products of the region count; a type
 * whose matching products disagree on the price is left out rather than guessed.
 */
final class OnDemandFigures {
  static final String UNIT = "USD/instance-hour";

  /** The attribute filters the Pricing API is queried with (besides regionCode, instanceType). */
  static final Map<String, String> FILTERS =
      Map.of(
          "operatingSystem", "Linux",
          "tenancy", "Shared",
          "preInstalledSw", "NA",
          "capacitystatus", "Used");

  private OnDemandFigures() {}

  static Map<String, Figure> from(
      List<String> documents, String region, Collection<String> instanceTypes, LocalDate asOf) {
    Set<String> wanted = Set.copyOf(instanceTypes);
    Map<String, BigDecimal> price = new HashMap<>();
    Map<String, String> sku = new HashMap<>();
    Set<String> ambiguous = new HashSet<>();
    for (String document : documents) {
      PriceListProduct product = PriceListProduct.parse(document);
      String type = product.attribute("instanceType");
      if (type == null || !wanted.contains(type) || !matches(product, region)) {
        continue;
      }
      BigDecimal usd = product.firstTierUsd();
      if (usd == null || usd.signum() <= 0) {
        continue;
      }
      BigDecimal earlier = price.putIfAbsent(type, usd);
      if (earlier == null) {
        sku.put(type, product.sku());
      } else if (earlier.compareTo(usd) != 0) {
        ambiguous.add(type);
      }
    }
    Map<String, Figure> figures = new TreeMap<>();
    price.forEach(
        (type, usd) -> {
          if (!ambiguous.contains(type)) {
            figures.put(
                type,
                new Figure(
                    RefreshResult.plain(usd),
                    UNIT,
                    asOf,
                    "AWS Pricing GetProducts (AmazonEC2, regionCode="
                        + region
                        + ", operatingSystem=Linux, tenancy=Shared, preInstalledSw=NA,"
                        + " capacitystatus=Used), OnDemand term, SKU "
                        + sku.get(type)));
          }
        });
    return figures;
  }

  private static boolean matches(PriceListProduct product, String region) {
    String regionCode = product.attribute("regionCode");
    if (regionCode != null && !regionCode.equals(region)) {
      return false;
    }
    return FILTERS.entrySet().stream()
        .allMatch(f -> f.getValue().equalsIgnoreCase(product.attribute(f.getKey())));
  }
}
