package dev.flinkspot.cost.refresh;

import java.util.Collection;
import java.util.List;

/**
 * EC2 On-Demand prices as the AWS Price List publishes them: one price-list JSON document per
 * product (Pricing {@code GetProducts}, service code {@code AmazonEC2}).
 */
public interface OnDemandPriceSource {

  /**
   * The price-list documents of Linux, shared-tenancy, no-pre-installed-software, used-capacity
   * instances of {@code instanceTypes} in {@code region}.
   *
   * @throws PriceSourceException when the source cannot answer
   */
  List<String> ec2Products(String region, Collection<String> instanceTypes);
}
