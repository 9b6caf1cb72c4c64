package dev.flinkspot.cost.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.workload.DefaultShapes;
import dev.flinkspot.scaling.ScaleTarget;
import dev.flinkspot.scaling.ScalingPolicy;
import dev.flinkspot.scaling.ScalingSpec;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Property: on any trace, both simulators lose and invent no work — processed + backlog = arrived —
 * and the hourly bills add up to the total. Random traces (seeded per repetition, so a failure
 * names its seed), run through the whole simulation with the built-in prices.
 */
class WorkConservationTest {

  @RepeatedTest(12)
  void processedPlusBacklogIsArrived(RepetitionInfo repetition) {
    long seed = 1000L + repetition.getCurrentRepetition();
    Random random = new Random(seed);
    int minutes = 60 + random.nextInt(12 * 60);
    double[] load = new double[minutes];
    double level = random.nextDouble() * 8;
    for (int i = 0; i < minutes; i++) {
      if (random.nextInt(20) == 0) {
        level = random.nextDouble() * (random.nextBoolean() ? 4 : 30);
      }
      load[i] = level;
    }
    TraceComparison c =
        TraceSimulation.run(
            Traces.perMinute(load),
            DefaultShapes.forParallelism(2 + random.nextInt(6)),
            new ScaleTarget(null, "job", null, 2, 128),
            ScalingPolicy.from(new ScalingSpec(true, 1, 24, null, null, null, null, null)).policy(),
            ClusterNodeGroups.defaults(),
            CostOptions.defaults(),
            CatalogLoader.builtIn().region("us-east-1"),
            new TraceSettings(
                java.time.Duration.ofMillis(random.nextInt(30_000)),
                java.time.Duration.ofSeconds(random.nextInt(1200)),
                java.time.Duration.ofSeconds(random.nextInt(300)),
                java.time.Duration.ofSeconds(random.nextInt(1200)),
                0));

    for (SideResult side : new SideResult[] {c.managed(), c.selfManaged()}) {
      double arrived = side.arrivedVcpuSeconds();
      assertThat(arrived)
          .as("seed %d, %s: arrived", seed, side.name())
          .isCloseTo(sum(load) * 60, within(1e-6 * arrived + 1e-9));
      assertThat(side.processedVcpuSeconds() + side.backlogVcpuSeconds())
          .as("seed %d, %s: processed + backlog", seed, side.name())
          .isCloseTo(arrived, within(1e-6 * arrived + 1e-9));
      assertThat(side.backlogVcpuSeconds()).isGreaterThanOrEqualTo(0);
      assertThat(side.hourlyUsd().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo(side.totalUsd());
      assertThat(side.hourlyUsd()).allMatch(usd -> usd.signum() > 0);
    }
  }

  static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
