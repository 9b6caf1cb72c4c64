package dev.flinkspot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.plan.ReferenceJobs.Row;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The performance goal's table (README "Reference jobs"): prints it, and checks what it claims
 * against the rules it rests on.
 */
class ReferenceJobsTest {
  private static final List<Row> ROWS = ReferenceJobs.rows(CatalogLoader.builtIn(), "us-east-1");

  @Test
  void printsTheTableForTheReadme() {
    String table = ReferenceJobs.render(ROWS, "us-east-1");
    System.out.print(table);
    assertThat(table)
        .contains("Reference jobs in us-east-1")
        .contains("Reached with the fewest levers:")
        .contains("4 KPU: ", "10 KPU: ", "64 KPU: ");
    assertThat(ROWS).hasSize(ReferenceJobs.KPUS.size() * 5);
  }

  @Test
  void msfIsTheKpuRuleAtEqualResources() {
    // (KPUs + 1 orchestration) × 730 h × $0.11 + 50 GB per KPU × $0.10
    for (Row r : ROWS) {
      BigDecimal expected =
          BigDecimal.valueOf(r.kpus() + 1L)
              .multiply(new BigDecimal("80.30"))
              .add(BigDecimal.valueOf(r.kpus() * 5L));
      assertThat(r.managedUsd()).isEqualByComparingTo(expected);
    }
  }

  @Test
  void aSmallJobWithItsOwnClusterIsOutOfReach() {
    Row small = row(4, "as planned");
    assertThat(small.meetsGoal()).isFalse();
    assertThat(small.percentOfMsf()).isGreaterThan(ReferenceJobs.GOAL_PERCENT);
  }

  @Test
  void eachLeverLowersTheBill() {
    for (int kpus : ReferenceJobs.KPUS) {
      BigDecimal planned = row(kpus, "as planned").selfManagedUsd();
      BigDecimal graviton = row(kpus, "+ Graviton Spot").selfManagedUsd();
      BigDecimal singleZone = row(kpus, "+ Graviton + single-zone").selfManagedUsd();
      BigDecimal all = row(kpus, "all levers").selfManagedUsd();
      assertThat(graviton).isLessThan(planned);
      assertThat(singleZone).isLessThan(graviton);
      assertThat(all).isLessThan(singleZone);
      assertThat(row(kpus, "shared cluster").selfManagedUsd()).isLessThan(planned);
    }
  }

  private static Row row(int kpus, String variantPrefix) {
    return ROWS.stream()
        .filter(r -> r.kpus() == kpus && r.variant().startsWith(variantPrefix))
        .findFirst()
        .orElseThrow();
  }
}
