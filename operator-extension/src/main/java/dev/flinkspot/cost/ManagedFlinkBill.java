package dev.flinkspot.cost;

import dev.flinkspot.cost.catalog.RegionPriceView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What Amazon Managed Service for Apache Flink bills: application KPUs = ceil(parallelism /
 * ParallelismPerKPU), plus one orchestration KPU per application, per KPU-hour with a ten-minute
 * minimum; running application storage of 50 GB per application KPU; optional durable backups.
 */
public record ManagedFlinkBill(
    int parallelism, int parallelismPerKpu, int applicationKpus, int billedKpus, Bill bill) {

  public static final int ORCHESTRATION_KPUS = 1;
  public static final int STORAGE_GB_PER_KPU = 50;
  public static final int DEFAULT_KPU_QUOTA = 64;
  static final BigDecimal MINIMUM_HOURS =
      new BigDecimal("10").divide(new BigDecimal("60"), MathContext.DECIMAL64);

  /** The bill for running {@code parallelism} under MSF's KPU rules. */
  public static ManagedFlinkBill forParallelism(
      int parallelism, CostOptions options, RegionPriceView prices) {
    return forApplications(List.of(parallelism), options, prices);
  }

  /**
   * The bill for several MSF applications (a session cluster's jobs, each its own application):
   * each rounds its KPUs up on its own and has its own orchestration KPU.
   */
  public static ManagedFlinkBill forApplications(
      List<Integer> parallelisms, CostOptions options, RegionPriceView prices) {
    int applicationKpus = 0;
    for (int parallelism : parallelisms) {
      applicationKpus += ceilDiv(parallelism, options.parallelismPerKpu());
    }
    int parallelism = parallelisms.stream().mapToInt(Integer::intValue).sum();
    return forKpus(
        parallelism,
        options.parallelismPerKpu(),
        applicationKpus,
        parallelisms.size(),
        options,
        prices,
        parallelisms.size() == 1 ? "MSF" : "MSF (" + parallelisms.size() + " applications)");
  }

  /**
   * The resource-equivalent view: the application KPUs needed to give the TaskManagers' total vCPU
   * and memory (1 vCPU + 4 GB each), billed the same way.
   */
  public static ManagedFlinkBill resourceEquivalent(
      BigDecimal totalCpu, BigDecimal totalMemoryGiB, CostOptions options, RegionPriceView prices) {
    int byCpu = totalCpu.setScale(0, java.math.RoundingMode.CEILING).intValueExact();
    int byMemory =
        totalMemoryGiB
            .divide(BigDecimal.valueOf(4), MathContext.DECIMAL64)
            .setScale(0, java.math.RoundingMode.CEILING)
            .intValueExact();
    int applicationKpus = Math.max(1, Math.max(byCpu, byMemory));
    return forKpus(
        applicationKpus, 1, applicationKpus, 1, options, prices, "MSF (resource-equivalent)");
  }

  private static ManagedFlinkBill forKpus(
      int parallelism,
      int parallelismPerKpu,
      int applicationKpus,
      int applications,
      CostOptions options,
      RegionPriceView prices,
      String title) {
    int orchestrationKpus = applications * ORCHESTRATION_KPUS;
    int billedKpus = applicationKpus + orchestrationKpus;
    BigDecimal hours = options.hours().max(MINIMUM_HOURS);
    BigDecimal months = hours.divide(prices.hoursPerMonth(), MathContext.DECIMAL64);
    List<CostLine> lines = new ArrayList<>();
    BigDecimal kpuHour = prices.kpuHour().value();
    lines.add(
        new CostLine(
            "KPUs",
            kpuHour.multiply(BigDecimal.valueOf(billedKpus)).multiply(hours),
            billedKpus
                + " KPU ("
                + applicationKpus
                + " application + "
                + orchestrationKpus
                + " orchestration) × "
                + hours.stripTrailingZeros().toPlainString()
                + " h × $"
                + kpuHour.toPlainString()
                + "/KPU-h"));
    if (options.msfRunningStorage()) {
      BigDecimal gb = BigDecimal.valueOf((long) applicationKpus * STORAGE_GB_PER_KPU);
      BigDecimal price = prices.runningStorageGbMonth().value();
      lines.add(
          new CostLine(
              "running application storage",
              gb.multiply(price).multiply(months),
              gb + " GB × $" + price.toPlainString() + "/GB-month"));
    }
    if (options.msfDurableBackups() && options.stateGb().signum() > 0) {
      BigDecimal price = prices.durableBackupGbMonth().value();
      lines.add(
          new CostLine(
              "durable application backups",
              options.stateGb().multiply(price).multiply(months),
              options.stateGb().toPlainString() + " GB × $" + price.toPlainString() + "/GB-month"));
    }
    return new ManagedFlinkBill(
        parallelism, parallelismPerKpu, applicationKpus, billedKpus, new Bill(title, lines));
  }

  static int ceilDiv(int a, int b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
