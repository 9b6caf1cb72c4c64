package dev.flinkspot.cost;

import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.workload.FlinkWorkload;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon EMR on EKS, the other way to run Flink on EKS: the same nodes and cluster costs as the
 * self-managed bill, plus EMR's uplift on the vCPU and memory the Flink pods request, per second
 * from image pull to pod end (aws.amazon.com/emr/pricing, "Amazon EMR on Amazon EKS": "calculated
 * based on the vCPU and memory resources used ... pricing is based on requested vCPU and memory
 * resources for the Task or Pod").
 *
 * @param vcpus the vCPUs all JobManager and TaskManager pods request
 * @param memoryGiB the memory they request, GiB
 */
public record EmrOnEksBill(BigDecimal vcpus, BigDecimal memoryGiB, Bill bill) {

  /** The EMR on EKS bill on top of {@code nodes}, the self-managed bill of the same pods. */
  public static EmrOnEksBill of(
      FlinkWorkload workload, Bill nodes, CostOptions options, RegionPriceView prices) {
    BigDecimal jms = BigDecimal.valueOf(workload.jobManagerReplicas());
    BigDecimal tms = BigDecimal.valueOf(workload.taskManagerReplicas());
    BigDecimal vcpus =
        workload.jobManager().cpu().multiply(jms).add(workload.taskManager().cpu().multiply(tms));
    BigDecimal memory =
        workload
            .jobManager()
            .memoryGiB()
            .multiply(jms)
            .add(workload.taskManager().memoryGiB().multiply(tms));
    BigDecimal vcpuHour = prices.emrOnEksVcpuHour().value();
    BigDecimal gbHour = prices.emrOnEksMemoryGbHour().value();
    String hours = options.hours().stripTrailingZeros().toPlainString();
    List<CostLine> lines = new ArrayList<>(nodes.lines());
    lines.add(
        new CostLine(
            "EMR on EKS uplift, vCPU",
            vcpus.multiply(vcpuHour).multiply(options.hours()),
            vcpus.stripTrailingZeros().toPlainString()
                + " vCPU requested × "
                + hours
                + " h × $"
                + vcpuHour.toPlainString()
                + "/vCPU-h"));
    lines.add(
        new CostLine(
            "EMR on EKS uplift, memory",
            memory.multiply(gbHour).multiply(options.hours()),
            memory.round(new java.math.MathContext(4)).toPlainString()
                + " GiB requested × "
                + hours
                + " h × $"
                + gbHour.toPlainString()
                + "/GB-h"));
    return new EmrOnEksBill(vcpus, memory, new Bill("EMR on EKS (same nodes + EMR uplift)", lines));
  }
}
