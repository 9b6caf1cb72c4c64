package dev.flinkspot.cost.catalog;

import dev.flinkspot.cost.catalog.PriceCatalog.RegionPrices;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The figures of one region as a report asks for them: each accessor returns the figure or throws
 * {@link MissingFigureException} naming where in a price file it belongs.
 */
public final class RegionPriceView {
  private final String region;
  private final RegionPrices prices;
  private final PriceCatalog catalog;
  private final List<String> missing;

  RegionPriceView(String region, RegionPrices prices, PriceCatalog catalog) {
    this(region, prices, catalog, null);
  }

  private RegionPriceView(
      String region, RegionPrices prices, PriceCatalog catalog, List<String> missing) {
    this.region = region;
    this.prices = prices;
    this.catalog = catalog;
    this.missing = missing;
  }

  /**
   * The same prices, but a missing figure is added to {@code sink} (once) and read as zero instead
   * of failing: a bill computed through this view is only valid when {@code sink} stays empty. This
   * is how a report names every missing figure at once.
   */
  public RegionPriceView collectingMissing(List<String> sink) {
    return new RegionPriceView(region, prices, catalog, sink);
  }

  public String region() {
    return region;
  }

  /** Hours in the month that GB-month prices refer to (730 unless the catalog says otherwise). */
  public BigDecimal hoursPerMonth() {
    return catalog.hoursPerMonth();
  }

  /** The oldest date among this region's figures. */
  public java.time.LocalDate asOf() {
    return catalog.oldestAsOf(region);
  }

  public Figure kpuHour() {
    return require(
        "managedFlink.kpuHour", p -> p.managedFlink() == null ? null : p.managedFlink().kpuHour());
  }

  public Figure runningStorageGbMonth() {
    return require(
        "managedFlink.runningStorageGbMonth",
        p -> p.managedFlink() == null ? null : p.managedFlink().runningStorageGbMonth());
  }

  public Figure durableBackupGbMonth() {
    return require(
        "managedFlink.durableBackupGbMonth",
        p -> p.managedFlink() == null ? null : p.managedFlink().durableBackupGbMonth());
  }

  public Figure eksControlPlaneHour() {
    return require(
        "eks.controlPlaneHour", p -> p.eks() == null ? null : p.eks().controlPlaneHour());
  }

  public Figure s3StandardGbMonth() {
    return require(
        "storage.s3StandardGbMonth",
        p -> p.storage() == null ? null : p.storage().s3StandardGbMonth());
  }

  public Figure ebsGp3GbMonth() {
    return require(
        "storage.ebsGp3GbMonth", p -> p.storage() == null ? null : p.storage().ebsGp3GbMonth());
  }

  public Figure interAzGbEachWay() {
    return require(
        "network.interAzGbEachWay",
        p -> p.network() == null ? null : p.network().interAzGbEachWay());
  }

  public Figure emrOnEksVcpuHour() {
    return require("emrOnEks.vcpuHour", p -> p.emrOnEks() == null ? null : p.emrOnEks().vcpuHour());
  }

  public Figure emrOnEksMemoryGbHour() {
    return require(
        "emrOnEks.memoryGbHour", p -> p.emrOnEks() == null ? null : p.emrOnEks().memoryGbHour());
  }

  public Figure onDemandHour(String instanceType) {
    instanceType(instanceType);
    return require(
        "ec2.onDemandHour." + instanceType,
        p -> p.ec2() == null ? null : p.ec2().onDemandHour().get(instanceType));
  }

  /**
   * The Spot price of an instance type: the live price where a refreshed price file has one,
   * otherwise On-Demand × (1 − the catalog's Spot discount).
   */
  public SpotPrice spotHour(String instanceType) {
    instanceType(instanceType);
    Optional<Figure> live =
        Optional.ofNullable(prices.ec2()).map(ec2 -> ec2.spotHour().get(instanceType));
    if (live.isPresent()) {
      return new SpotPrice(live.get().value(), true, live.get(), null);
    }
    Figure onDemand = onDemandHour(instanceType);
    Figure discount =
        require("ec2.spotDiscount", p -> p.ec2() == null ? null : p.ec2().spotDiscount());
    BigDecimal estimate = onDemand.value().multiply(BigDecimal.ONE.subtract(discount.value()));
    return new SpotPrice(estimate, false, onDemand, discount);
  }

  public InstanceTypeSpec instanceType(String type) {
    return catalog.instanceType(type);
  }

  /** Whether the catalog has the spec (vCPU, memory, max pods) of this instance type. */
  public boolean knowsInstanceType(String type) {
    return catalog.instanceTypes().containsKey(type);
  }

  private Figure require(String path, Function<RegionPrices, Figure> getter) {
    Figure figure = getter.apply(prices);
    if (figure == null) {
      String figurePath = "regions." + region + "." + path;
      if (missing == null) {
        throw new MissingFigureException(figurePath);
      }
      if (!missing.contains(figurePath)) {
        missing.add(figurePath);
      }
      return new Figure(BigDecimal.ZERO, "missing", null, "missing: " + figurePath);
    }
    return figure;
  }

  /**
   * A Spot price per instance-hour and how it was obtained: live (a refreshed price) or estimated
   * from the On-Demand price and the catalog discount.
   */
  public record SpotPrice(BigDecimal usdPerHour, boolean live, Figure basis, Figure discount) {}
}
