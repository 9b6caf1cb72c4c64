package dev.flinkspot.cost.refresh;

import java.util.List;

/**
 * Amazon Managed Service for Apache Flink prices as the AWS Price List publishes them: one
 * price-list JSON document per product (Pricing {@code GetProducts}, service code {@code
 * AmazonKinesisAnalytics}).
 */
public interface ManagedFlinkPriceSource {

  /**
   * The price-list documents of the service in {@code region}.
   *
   * @throws PriceSourceException when the source cannot answer
   */
  List<String> managedFlinkProducts(String region);
}
