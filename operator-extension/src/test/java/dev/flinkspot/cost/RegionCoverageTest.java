package dev.flinkspot.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.PriceCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every region where MSF is sold against the figures the default comparison needs. A region may
 * lack only the groups of figures listed here, each for a stated reason (no citable source at hand:
 * the catalog never invents a price). The test fails when a region lacks anything else, and also
 * when a gap is closed without this list (and the README's) being updated.
 */
class RegionCoverageTest {
  private static final PriceCatalog CATALOG = CatalogLoader.builtIn();

  /** EMR on EKS's uplift is rendered live on aws.amazon.com/emr/pricing: no region has it. */
  private static final String EMR = "emrOnEks";

  /**
   * EC2 On-Demand: Karpenter's generated table (the citable source) holds us-east-1 only; EKS, EBS,
   * S3 and inter-AZ prices were only sourced for us-east-1 as well.
   */
  private static final Set<String> NO_NODES =
      Set.of("ec2.onDemandHour", "ec2.spotDiscount", "eks", "storage", "network", EMR);

  /** The MSF pricing page renders its regional table live: only three regions are citable. */
  private static final Set<String> NOTHING =
      Set.of(
          "managedFlink", "ec2.onDemandHour", "ec2.spotDiscount", "eks", "storage", "network", EMR);

  private static final Map<String, Set<String>> KNOWN_GAPS =
      Map.of(
          "us-east-1", Set.of(EMR),
          // Spot Instance Advisor's snapshot covers us-east-2 too, so its discount is known
          "us-east-2", Set.of("ec2.onDemandHour", "eks", "storage", "network", EMR),
          "eu-west-2", NO_NODES);

  @Test
  void everyMsfRegionLacksOnlyItsDocumentedGaps() {
    assertThat(CATALOG.managedFlinkRegions()).hasSize(34).contains("us-east-1", "eu-west-1");
    for (String region : CATALOG.managedFlinkRegions()) {
      Set<String> lacking = groups(RegionCoverage.missingForDefaults(CATALOG, region), region);
      assertThat(lacking)
          .as("figure groups %s lacks for the default comparison", region)
          .isEqualTo(KNOWN_GAPS.getOrDefault(region, NOTHING));
    }
  }

  @Test
  void usEast1HasEveryFigureButEmrOnEks() {
    assertThat(RegionCoverage.missingForDefaults(CATALOG, "us-east-1"))
        .containsExactly(
            "regions.us-east-1.emrOnEks.vcpuHour", "regions.us-east-1.emrOnEks.memoryGbHour");
  }

  @Test
  void theRegionsWithoutACitableKpuPriceAreAllButThree() {
    List<String> withKpu =
        CATALOG.managedFlinkRegions().stream()
            .filter(
                r ->
                    !RegionCoverage.missingForDefaults(CATALOG, r)
                        .contains("regions." + r + ".managedFlink.kpuHour"))
            .toList();
    assertThat(withKpu).containsExactlyInAnyOrder("us-east-1", "us-east-2", "eu-west-2");
  }

  /** "regions.R.ec2.onDemandHour.m5.large" → "ec2.onDemandHour"; "regions.R.eks.x" → "eks". */
  private static Set<String> groups(List<String> paths, String region) {
    return paths.stream()
        .map(p -> p.substring(("regions." + region + ".").length()))
        .map(
            p ->
                p.startsWith("ec2.")
                    ? p.split("\\.")[0] + "." + p.split("\\.")[1]
                    : p.split("\\.")[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
