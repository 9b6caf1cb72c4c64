package dev.flinkspot.cost;

import dev.flinkspot.cost.catalog.MissingFigureException;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.workload.DefaultShapes;
import dev.flinkspot.cost.workload.FlinkWorkload;
import java.math.BigDecimal;
import java.util.List;

/**
 * Which figures a region lacks for the default comparison ({@code flinkspot cost --parallelism N}
 * on the default node groups, with inter-AZ transfer and checkpoints priced, all three bills).
 * Pure: it prices a small default job and collects what was missing.
 */
public final class RegionCoverage {
  private RegionCoverage() {}

  /** Every figure path the default comparison in {@code region} needs and the catalog lacks. */
  public static List<String> missingForDefaults(PriceCatalog catalog, String region) {
    FlinkWorkload workload = DefaultShapes.forParallelism(2);
    CostOptions options =
        new CostOptions(CostOptions.DEFAULT_HOURS, 1, true, true, BigDecimal.TEN, 1, null)
            .withShuffle(BigDecimal.ONE, CostOptions.DEFAULT_ZONES);
    try {
      return CostComparison.of(
              workload,
              ClusterNodeGroups.defaultsFitting(
                  workload.jobManager(), workload.taskManager(), catalog),
              options,
              catalog.region(region))
          .missingFigures();
    } catch (MissingFigureException e) {
      return e.figurePaths();
    }
  }
}
