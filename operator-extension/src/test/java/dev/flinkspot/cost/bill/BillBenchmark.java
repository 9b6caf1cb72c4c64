package dev.flinkspot.cost.bill;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * {@code flinkspot bill} on a month of CUR 2.0 for a 200-node cluster: 730 hourly instance lines
 * per node, 33 pods' split cost rows per node-hour, control plane, EBS and data transfer: about 5
 * million rows in one Parquet file. Prints rows/s, peak Java heap and the process's peak resident
 * memory (DuckDB works off-heap). Not a test: run it by hand (README, "flinkspot bill").
 *
 * <p>Arguments: [rows-per-node-hour] (default 33 pods) [nodes] (default 200).
 */
public final class BillBenchmark {
  private BillBenchmark() {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 33;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("flinkspot-bill-bench");
    Path file = dir.resolve("cur2-month.parquet");
    long t0 = System.nanoTime();
    try (var db = DriverManager.getConnection("jdbc:duckdb:");
        var sql = db.createStatement()) {
      sql.execute(
          """
          COPY (
            WITH hours AS (SELECT TIMESTAMP '2026-07-01' + to_hours(h) AS t FROM range(730) r(h)),
                 nodes AS (SELECT n, 'i-' || lpad(n::VARCHAR, 17, '0') AS id,
                                  CASE WHEN n %% 4 = 0 THEN 'USE1-BoxUsage:m5.xlarge'
                                       ELSE 'USE1-SpotUsage:m5.xlarge' END AS usage,
                                  CASE WHEN n %% 4 = 0 THEN 0.192 ELSE 0.0744 END AS price
                           FROM range(%d) r(n)),
                 pods AS (SELECT p FROM range(%d) r(p))
            SELECT t AS line_item_usage_start_date, t + INTERVAL 1 HOUR AS line_item_usage_end_date,
                   'Usage' AS line_item_line_item_type, 'AmazonEC2' AS line_item_product_code,
                   usage AS line_item_usage_type, id AS line_item_resource_id,
                   CAST(price AS DECIMAL(18,8)) AS line_item_unblended_cost,
                   'USD' AS line_item_currency_code,
                   CAST(NULL AS VARCHAR) AS split_line_item_parent_resource_id,
                   CAST(NULL AS DECIMAL(18,8)) AS split_line_item_split_cost,
                   CAST(NULL AS DECIMAL(18,8)) AS split_line_item_unused_cost,
                   MAP {}::MAP(VARCHAR, VARCHAR) AS resource_tags
            FROM hours, nodes
            UNION ALL
            SELECT t, t + INTERVAL 1 HOUR, 'Usage', 'AmazonEC2', usage,
                   'arn:aws:eks:us-east-1:111122223333:pod/prod/ns/pod-' || n || '-' || p,
                   0, 'USD', id,
                   CAST(price * 0.9 / %d AS DECIMAL(18,8)),
                   CAST(price * 0.1 / %d AS DECIMAL(18,8)),
                   CASE WHEN p < 20 THEN MAP {'user_app': 'job-' || (n %% 25),
                          'user_component': CASE WHEN p = 0 THEN 'jobmanager' ELSE 'taskmanager' END,
                          'aws_eks_namespace': 'flink'}
                        ELSE MAP {'aws_eks_namespace': 'kube-system'} END
            FROM hours, nodes, pods
            UNION ALL
            SELECT t, t + INTERVAL 1 HOUR, 'Usage', 'AmazonEKS', 'USE1-AmazonEKS-Hours:perCluster',
                   'arn:aws:eks:us-east-1:111122223333:cluster/prod', 0.10, 'USD', NULL, NULL, NULL,
                   MAP {}::MAP(VARCHAR, VARCHAR)
            FROM hours
          ) TO '%s' (FORMAT parquet)
          """
              .formatted(nodes, pods, pods, pods, file));
    }
    long generated = System.nanoTime();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    BillReport report =
        BillReader.read(
            file.toString(),
            new BillReader.Options(
                null, 2, CostOptions.defaults(), CatalogLoader.builtIn().region("us-east-1")));
    long end = System.nanoTime();
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    double seconds = (end - start) / 1e9;
    System.out.printf(
        "generated %,d rows (%,d MB Parquet) in %.1f s%n",
        report.rows(), Files.size(file) >> 20, (generated - t0) / 1e9);
    System.out.printf(
        "bill: %,d rows in %.2f s = %,.0f rows/s; peak heap %,d MB (-Xmx %,d MB);"
            + " process peak RSS %s; %d jobs, total $%s%n",
        report.rows(),
        seconds,
        report.rows() / seconds,
        peakHeap >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        peakRss(),
        report.jobs().size(),
        report.totalUsd().setScale(2, java.math.RoundingMode.HALF_EVEN));
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  private static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> l.substring(6).trim())
          .findFirst()
          .orElse("n/a");
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }
}
