package dev.flinkspot.cost.trace;

import java.math.BigDecimal;
import java.util.List;

/**
 * What one side did over a trace.
 *
 * @param hourlyUsd the bill of each hour of the trace (the last may be partial)
 * @param hourlyCapacityVcpus mean vCPUs processing in each hour (0 while paused)
 * @param timelineCapacityVcpus mean processing vCPUs per timeline step, for the chart
 * @param pausedSeconds time the job processed nothing because it was rescaling
 * @param underProvisionedSeconds time its processing capacity was below the load
 * @param scalings scaling operations (MSF) or Reactive Mode rescales (self-managed)
 * @param arrivedVcpuSeconds work that arrived, in vCPU-seconds
 * @param processedVcpuSeconds work processed
 * @param backlogVcpuSeconds work still queued at the end
 */
public record SideResult(
    String name,
    List<BigDecimal> hourlyUsd,
    double[] hourlyCapacityVcpus,
    double[] timelineCapacityVcpus,
    double pausedSeconds,
    double underProvisionedSeconds,
    int scalings,
    String scalingNoun,
    double arrivedVcpuSeconds,
    double processedVcpuSeconds,
    double backlogVcpuSeconds,
    double peakBacklogVcpuSeconds,
    double peakCapacityVcpus,
    List<String> notes) {

  public SideResult {
    hourlyUsd = List.copyOf(hourlyUsd);
    notes = List.copyOf(notes);
  }

  public BigDecimal totalUsd() {
    return hourlyUsd.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public double underProvisionedHours() {
    return underProvisionedSeconds / 3600.0;
  }
}
