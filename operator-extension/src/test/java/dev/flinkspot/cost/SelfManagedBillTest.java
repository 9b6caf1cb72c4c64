package dev.flinkspot.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostOptions.SelfManagedView;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.CapacityType;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.nodes.NodeGroup;
import dev.flinkspot.cost.workload.FlinkWorkload;
import dev.flinkspot.cost.workload.PodShape;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Self-managed cost: bin-packing onto EKS allocatable, Spot estimates, both views. */
class SelfManagedBillTest {
  private static final RegionPriceView PRICES = CatalogLoader.builtIn().region("us-east-1");
  private static final PodShape JM = new PodShape(BigDecimal.ONE, 2048L << 20);
  private static final PodShape TM = new PodShape(new BigDecimal("1.75"), 7168L << 20);

  private static FlinkWorkload workload(PodShape tm, int tms, int jms) {
    return new FlinkWorkload("job", "flink", tms * 2, "test", JM, jms, tm, tms, 2, List.of());
  }

  private static CostOptions options(int clusterJobs, String stateGb) {
    return new CostOptions(
        BigDecimal.valueOf(730),
        1,
        true,
        false,
        new BigDecimal(stateGb),
        clusterJobs,
        SelfManagedView.DEDICATED);
  }

  @Test
  void twoTaskManagersShareA16GiBSpotNodeAndSpotIsEstimatedFromTheDiscount() {
    SelfManagedBill bill =
        SelfManagedBill.of(
            workload(TM, 4, 2), ClusterNodeGroups.defaults(), options(1, "0"), PRICES);

    assertThat(bill.taskManagerNodes()).isEqualTo(2);
    assertThat(bill.jobManagerNodes()).isEqualTo(2); // 1 vCPU does not fit twice in 1.805
    assertThat(bill.liveSpotPrices()).isFalse();
    // Spot = On-Demand × (1 − 0.48), mean over the seven default types, 2 nodes, 730 h
    BigDecimal meanSpot =
        sum("0.192", "0.172", "0.226", "0.192", "0.1728", "0.2016", "0.23184")
            .multiply(new BigDecimal("0.52"))
            .divide(BigDecimal.valueOf(7), MathContext.DECIMAL64);
    BigDecimal expectedTm = meanSpot.multiply(BigDecimal.valueOf(2 * 730));
    assertThat(line(bill.dedicated(), "TaskManager nodes (Spot)").usd())
        .isCloseTo(expectedTm, org.assertj.core.data.Offset.offset(new BigDecimal("0.000001")));
    assertThat(line(bill.dedicated(), "JobManager nodes (On-Demand)").usd())
        .isEqualByComparingTo("140.16"); // 2 × 0.096 × 730
    assertThat(line(bill.dedicated(), "node root volumes (gp3)").usd())
        .isEqualByComparingTo("20.80"); // 2 JM nodes × 50 GB + 2 TM nodes × 80 GB, × 0.08
    assertThat(line(bill.dedicated(), "EKS control plane").usd()).isEqualByComparingTo("73.00");
    // eksctl/cluster.yaml's system group: 2 × m5.large (0.096 × 730) + 2 × 50 GB × 0.08
    assertThat(line(bill.dedicated(), "system node group (On-Demand)").usd())
        .isEqualByComparingTo("148.16");
    assertThat(bill.dedicated().totalUsd())
        .isCloseTo(
            expectedTm
                .add(new BigDecimal("140.16"))
                .add(new BigDecimal("20.80"))
                .add(new BigDecimal("73.00"))
                .add(new BigDecimal("148.16")),
            org.assertj.core.data.Offset.offset(new BigDecimal("0.000001")));
  }

  @Test
  void sharedViewChargesThePodsShareOfTheirNodes() {
    SelfManagedBill bill =
        SelfManagedBill.of(
            workload(TM, 4, 1), ClusterNodeGroups.defaults(), options(1, "0"), PRICES);

    // On m5.xlarge-shaped nodes 7 GiB of 15.03 GiB allocatable is the larger share (0.4657…).
    BigDecimal allocatableGiB =
        new BigDecimal("16").subtract(new BigDecimal("993").divide(new BigDecimal("1024")));
    BigDecimal share = new BigDecimal("7").divide(allocatableGiB, MathContext.DECIMAL64);
    BigDecimal meanSpot =
        sum("0.192", "0.172", "0.226", "0.192", "0.1728", "0.2016", "0.23184")
            .multiply(new BigDecimal("0.52"))
            .divide(BigDecimal.valueOf(7), MathContext.DECIMAL64);
    assertThat(line(bill.shared(), "TaskManager nodes (Spot)").usd())
        .isCloseTo(
            meanSpot.multiply(share).multiply(BigDecimal.valueOf(4 * 730)),
            org.assertj.core.data.Offset.offset(new BigDecimal("0.0001")));
    assertThat(bill.shared().totalUsd()).isLessThan(bill.dedicated().totalUsd());
  }

  @Test
  void controlPlaneIsSharedByClusterJobsAndCheckpointsCostS3() {
    SelfManagedBill bill =
        SelfManagedBill.of(
            workload(TM, 2, 1), ClusterNodeGroups.defaults(), options(10, "200"), PRICES);

    assertThat(line(bill.dedicated(), "EKS control plane").usd()).isEqualByComparingTo("7.30");
    assertThat(line(bill.dedicated(), "checkpoints in S3").usd())
        .isEqualByComparingTo("4.60"); // 200 × 0.023
  }

  @Test
  void livePriceFromAPriceFileReplacesTheEstimate() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("prices", ".yaml");
    java.nio.file.Files.writeString(
        file,
        """
        regions:
          us-east-1:
            ec2:
              spotHour:
                m5.xlarge: {value: "0.0700", unit: USD/instance-hour, asOf: 2026-11-20, source: test}
        """);
    RegionPriceView prices = CatalogLoader.withOverrides(file).region("us-east-1");
    ClusterNodeGroups groups =
        new ClusterNodeGroups(
            ClusterNodeGroups.defaults().jobManagers(),
            new NodeGroup("tm", CapacityType.SPOT, List.of("m5.xlarge"), 80),
            "test");

    SelfManagedBill bill = SelfManagedBill.of(workload(TM, 2, 1), groups, options(1, "0"), prices);

    assertThat(bill.liveSpotPrices()).isTrue();
    assertThat(line(bill.dedicated(), "TaskManager nodes (Spot)").usd())
        .isEqualByComparingTo("51.10"); // 0.07 × 730
  }

  @Test
  void aPodThatFitsNoNodeNamesTheTypeAndTheFix() {
    PodShape huge = new PodShape(new BigDecimal("4"), 8L << 30);

    assertThatThrownBy(
            () ->
                SelfManagedBill.of(
                    workload(huge, 1, 1), ClusterNodeGroups.defaults(), options(1, "0"), PRICES))
        .isInstanceOf(UserInputException.class)
        .hasMessageContaining("TaskManager pod (4 vCPU, 8 GiB) does not fit on m5.xlarge")
        .hasMessageContaining("spec.taskManager.resource");
  }

  private static CostLine line(Bill bill, String component) {
    return bill.lines().stream()
        .filter(l -> l.component().equals(component))
        .findFirst()
        .orElseThrow();
  }

  private static BigDecimal sum(String... values) {
    BigDecimal total = BigDecimal.ZERO;
    for (String v : values) {
      total = total.add(new BigDecimal(v));
    }
    return total;
  }
}
