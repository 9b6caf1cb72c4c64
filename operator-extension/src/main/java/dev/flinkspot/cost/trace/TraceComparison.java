package dev.flinkspot.cost.trace;

import java.time.LocalDate;
import java.util.List;

/**
 * One job on one load trace, both ways: the MSF and self-managed results, the mean load per hour
 * and per timeline step (for the chart), and the assumptions the numbers rest on.
 */
public record TraceComparison(
    String deployment,
    String region,
    LocalDate pricesAsOf,
    LoadTrace trace,
    long timelineStepSeconds,
    double[] hourlyLoadVcpus,
    double[] timelineLoadVcpus,
    SideResult managed,
    SideResult selfManaged,
    List<String> assumptions) {

  public TraceComparison {
    assumptions = List.copyOf(assumptions);
  }

  /** The same comparison with one more assumption stated. */
  public TraceComparison withAssumption(String assumption) {
    List<String> more = new java.util.ArrayList<>(assumptions);
    more.add(assumption);
    return new TraceComparison(
        deployment,
        region,
        pricesAsOf,
        trace,
        timelineStepSeconds,
        hourlyLoadVcpus,
        timelineLoadVcpus,
        managed,
        selfManaged,
        more);
  }
}
