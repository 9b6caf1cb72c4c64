package dev.flinkspot.controller;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.PriceCatalog;
import dev.flinkspot.cost.live.ReportWritePolicy;

/**
 * How the controller keeps {@code FlinkCostReport}s.
 *
 * @param catalog the built-in prices, with the {@code --prices} file laid over them
 * @param options MSF and amortisation knobs (the same engine as {@code flinkspot cost})
 * @param fallbackRegion region of nodes without {@code topology.kubernetes.io/region}
 * @param writes when a report's status is written
 */
public record CostReportSettings(
    PriceCatalog catalog, CostOptions options, String fallbackRegion, ReportWritePolicy writes) {}
