package dev.flinkspot.cost.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flinkspot.common.UserInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The price catalog in use: the built-in figures, possibly overridden by a user's price file. Its
 * shape is exactly the YAML/JSON a price file has; unknown figures are simply absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PriceCatalog(
    int catalogVersion,
    BigDecimal hoursPerMonth,
    List<String> knownRegions,
    List<String> managedFlinkRegions,
    Map<String, RegionPrices> regions,
    Map<String, InstanceTypeSpec> instanceTypes) {

  public PriceCatalog {
    regions = regions == null ? Map.of() : Map.copyOf(regions);
    instanceTypes = instanceTypes == null ? Map.of() : Map.copyOf(instanceTypes);
    knownRegions = knownRegions == null ? List.of() : List.copyOf(knownRegions);
    managedFlinkRegions =
        managedFlinkRegions == null ? List.of() : List.copyOf(managedFlinkRegions);
  }

  /** Prices of one region, or a clear error when the region code is not an AWS region. */
  public RegionPriceView region(String region) {
    Objects.requireNonNull(region, "region");
    if (!knownRegions.contains(region) && !regions.containsKey(region)) {
      throw new UserInputException(
          "--region: unknown AWS region '" + region + "': use a region code such as us-east-1");
    }
    if (!managedFlinkRegions.isEmpty()
        && !managedFlinkRegions.contains(region)
        && !regions.containsKey(region)) {
      throw new UserInputException(
          "--region "
              + region
              + ": Managed Service for Apache Flink is not sold there, so there is nothing to"
              + " compare with: use one of "
              + String.join(", ", managedFlinkRegions));
    }
    RegionPrices prices = regions.getOrDefault(region, RegionPrices.EMPTY);
    return new RegionPriceView(region, prices, this);
  }

  /** The spec of an instance type, or a clear error naming the type. */
  public InstanceTypeSpec instanceType(String type) {
    InstanceTypeSpec spec = instanceTypes.get(type);
    if (spec == null) {
      throw new UserInputException(
          "unknown instance type '"
              + type
              + "': the catalog knows "
              + String.join(", ", instanceTypes.keySet().stream().sorted().toList())
              + "; add it under instanceTypes in a --prices file");
    }
    return spec;
  }

  /** The oldest asOf date among a region's figures: the date a report's prices are "as of". */
  public LocalDate oldestAsOf(String region) {
    RegionPrices prices = regions.getOrDefault(region, RegionPrices.EMPTY);
    return prices.figures().map(Figure::asOf).min(LocalDate::compareTo).orElse(null);
  }

  /** One region's figures, grouped as in the price file. Every group may be absent. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RegionPrices(
      ManagedFlinkPrices managedFlink,
      EksPrices eks,
      StoragePrices storage,
      NetworkPrices network,
      EmrOnEksPrices emrOnEks,
      Ec2Prices ec2) {
    static final RegionPrices EMPTY = new RegionPrices(null, null, null, null, null, null);

    /** The same prices without network and EMR on EKS figures (the shape price files had first). */
    public RegionPrices(
        ManagedFlinkPrices managedFlink, EksPrices eks, StoragePrices storage, Ec2Prices ec2) {
      this(managedFlink, eks, storage, null, null, ec2);
    }

    Stream<Figure> figures() {
      Stream.Builder<Figure> all = Stream.builder();
      if (managedFlink != null) {
        Stream.of(
                managedFlink.kpuHour(),
                managedFlink.runningStorageGbMonth(),
                managedFlink.durableBackupGbMonth())
            .forEach(all);
      }
      if (eks != null) {
        all.add(eks.controlPlaneHour());
      }
      if (storage != null) {
        all.add(storage.s3StandardGbMonth());
        all.add(storage.ebsGp3GbMonth());
      }
      if (network != null) {
        all.add(network.interAzGbEachWay());
      }
      if (emrOnEks != null) {
        all.add(emrOnEks.vcpuHour());
        all.add(emrOnEks.memoryGbHour());
      }
      if (ec2 != null) {
        all.add(ec2.spotDiscount());
        ec2.onDemandHour().values().forEach(all);
        ec2.spotHour().values().forEach(all);
      }
      return all.build().filter(Objects::nonNull);
    }
  }

  /** Amazon Managed Service for Apache Flink prices. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ManagedFlinkPrices(
      Figure kpuHour, Figure runningStorageGbMonth, Figure durableBackupGbMonth) {}

  /** Amazon EKS prices. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EksPrices(Figure controlPlaneHour) {}

  /** Storage prices: S3 for checkpoints, EBS gp3 for node root volumes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StoragePrices(Figure s3StandardGbMonth, Figure ebsGp3GbMonth) {}

  /** Data transfer: between availability zones of one region, charged on each side. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NetworkPrices(Figure interAzGbEachWay) {}

  /**
   * Amazon EMR on EKS: the uplift on top of the EC2 nodes, per vCPU-hour and per GB-hour of memory
   * the pods request (aws.amazon.com/emr/pricing, "Amazon EMR on Amazon EKS").
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EmrOnEksPrices(Figure vcpuHour, Figure memoryGbHour) {}

  /**
   * EC2 prices per instance type: On-Demand, live Spot where refreshed, and the catalog discount
   * that estimates Spot where no live price is known.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Ec2Prices(
      Figure spotDiscount, Map<String, Figure> onDemandHour, Map<String, Figure> spotHour) {
    public Ec2Prices {
      onDemandHour = onDemandHour == null ? Map.of() : Map.copyOf(onDemandHour);
      spotHour = spotHour == null ? Map.of() : Map.copyOf(spotHour);
    }
  }
}
