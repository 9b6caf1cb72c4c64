package dev.flinkspot.cost.refresh;

import dev.flinkspot.cost.catalog.Figure;
import dev.flinkspot.cost.catalog.PriceCatalog.ManagedFlinkPrices;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Managed Service for Apache Flink price-list documents into the {@code managedFlink}
 * figures: usage types ending {@code KPU-Hour-Java}, {@code RunningApplicationStorage} and {@code
 * DurableApplicationBackups}. A figure whose products disagree on the price is left out.
 */
final class ManagedFlinkFigures {
  static final String SERVICE_CODE = "AmazonKinesisAnalytics";

  /** The three figures, by the usage-type suffix AWS bills them under. */
  enum Kind {
    KPU_HOUR("kpuHour", "KPU-Hour-Java", "USD/KPU-hour"),
    RUNNING_STORAGE("runningStorageGbMonth", "RunningApplicationStorage", "USD/GB-month"),
    DURABLE_BACKUP("durableBackupGbMonth", "DurableApplicationBackups", "USD/GB-month");

    final String field;
    final String usageTypeSuffix;
    final String unit;

    Kind(String field, String usageTypeSuffix, String unit) {
      this.field = field;
      this.usageTypeSuffix = usageTypeSuffix;
      this.unit = unit;
    }
  }

  private ManagedFlinkFigures() {}

  /**
   * The figures found, keyed by kind; a kind AWS did not return (or returned ambiguously) is
   * absent.
   */
  static Map<Kind, Figure> from(List<String> documents, String region, LocalDate asOf) {
    Map<Kind, Figure> figures = new EnumMap<>(Kind.class);
    Map<Kind, Boolean> ambiguous = new EnumMap<>(Kind.class);
    for (String document : documents) {
      PriceListProduct product = PriceListProduct.parse(document);
      String usageType = product.attribute("usagetype");
      String regionCode = product.attribute("regionCode");
      if (usageType == null || (regionCode != null && !regionCode.equals(region))) {
        continue;
      }
      for (Kind kind : Kind.values()) {
        if (!usageType.endsWith(kind.usageTypeSuffix)) {
          continue;
        }
        BigDecimal usd = product.firstTierUsd();
        if (usd == null || usd.signum() <= 0) {
          continue;
        }
        Figure earlier = figures.get(kind);
        if (earlier != null && earlier.value().compareTo(RefreshResult.plain(usd)) != 0) {
          ambiguous.put(kind, true);
        } else if (earlier == null) {
          figures.put(
              kind,
              new Figure(
                  RefreshResult.plain(usd),
                  kind.unit,
                  asOf,
                  "AWS Pricing GetProducts ("
                      + SERVICE_CODE
                      + ", regionCode="
                      + region
                      + ", usagetype="
                      + usageType
                      + "), OnDemand term, SKU "
                      + product.sku()));
        }
      }
    }
    ambiguous.keySet().forEach(figures::remove);
    return figures;
  }

  /** The figures as the catalog holds them, or null when there are none. */
  static ManagedFlinkPrices toPrices(Map<Kind, Figure> figures) {
    if (figures.isEmpty()) {
      return null;
    }
    return new ManagedFlinkPrices(
        figures.get(Kind.KPU_HOUR),
        figures.get(Kind.RUNNING_STORAGE),
        figures.get(Kind.DURABLE_BACKUP));
  }
}
