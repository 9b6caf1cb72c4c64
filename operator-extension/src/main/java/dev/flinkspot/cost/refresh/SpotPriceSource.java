package dev.flinkspot.cost.refresh;

import java.util.Collection;
import java.util.List;

/** Current EC2 Spot prices per availability zone (EC2 {@code DescribeSpotPriceHistory}). */
public interface SpotPriceSource {

  /**
   * The Linux/UNIX Spot price records of {@code instanceTypes} in {@code region}, at least the
   * latest one of each type in each zone.
   *
   * @throws PriceSourceException when the source cannot answer
   */
  List<SpotPriceSample> spotPrices(String region, Collection<String> instanceTypes);
}
