package dev.flinkspot.cost.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * MSF's documented autoscaling rules on hand-computed traces
 * (https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling-auto.html). Billing here is $1
 * per KPU-hour with one orchestration KPU, so an hour at parallelism p costs p + 1 dollars.
 */
class ManagedFlinkAutoscalingTest {
  static final IntFunction<BigDecimal> ONE_DOLLAR_PER_KPU = p -> BigDecimal.valueOf(p + 1L);
  static final long PAUSE = 600;

  static SideResult run(LoadTrace trace, int parallelism, int max) {
    return ManagedFlinkAutoscaling.simulate(
        trace,
        new ManagedFlinkAutoscaling.Rules(parallelism, 1, max, PAUSE),
        ONE_DOLLAR_PER_KPU,
        15,
        60);
  }

  @Test
  void fifteenMinutesAtOrAbove75PercentDoubleTheParallelism() {
    // 0.8 vCPU on 1 KPU = 80% for minutes 0-14: the 15th datapoint ends at 900 s.
    SideResult r = run(Traces.step(0.8, 15, 0.2, 60), 1, 8);

    assertThat(r.scalings()).isEqualTo(1);
    assertThat(r.pausedSeconds()).isEqualTo(600);
    // 900 s at p=1 ($2/h), then 2700 s at p=2 ($3/h), paused time billed at the larger size.
    assertThat(r.totalUsd()).isEqualByComparingTo("2.75");
    // hour 0: 1 vCPU for 900 s, 0 for the 600 s pause, 2 vCPU for 2100 s
    assertThat(r.hourlyCapacityVcpus()[0]).isCloseTo((900 + 2 * 2100) / 3600.0, within(1e-9));
    assertThat(r.underProvisionedSeconds()).isEqualTo(600);
  }

  @Test
  void fourteenMinutesAreNotEnough() {
    SideResult r = run(Traces.step(0.8, 14, 0.2, 60), 1, 8);

    assertThat(r.scalings()).isZero();
    assertThat(r.pausedSeconds()).isZero();
    assertThat(r.totalUsd()).isEqualByComparingTo("2");
    assertThat(r.peakCapacityVcpus()).isEqualTo(1);
  }

  @Test
  void aDipBelow75PercentRestartsTheCount() {
    double[] minutes = new double[60];
    java.util.Arrays.fill(minutes, 0.8);
    minutes[10] = 0.7; // 70%: 10 high datapoints, a low one, then 49 high: scales at minute 26
    SideResult r = run(Traces.perMinute(minutes), 1, 8);

    assertThat(r.scalings()).isEqualTo(1);
    // 26 minutes at p=1, 34 at p=2
    assertThat(r.totalUsd().doubleValue()).isCloseTo((26 * 2 + 34 * 3) / 60.0, within(1e-9));
  }

  @Test
  void sixQuietHoursHalveItButNotBelowTheConfiguredParallelism() {
    // Up to 2 at 900 s (paused until 1500 s). The first minute after the pause works off the
    // queue (27.5% mean CPU), so 360 quiet datapoints run from 1560 s to 23160 s: halved to 1.
    SideResult r = run(Traces.step(0.8, 15, 0.05, 7 * 60), 1, 8);

    assertThat(r.scalings()).isEqualTo(2);
    assertThat(r.pausedSeconds()).isEqualTo(1200);
    // hour 6: p=2 for 1560 s, paused 600 s, p=1 for 1440 s
    assertThat(r.hourlyCapacityVcpus()[6]).isCloseTo((2 * 1560 + 1440) / 3600.0, within(1e-9));
  }

  @Test
  void quietForLessThanSixHoursKeepsTheParallelism() {
    SideResult r = run(Traces.step(0.8, 15, 0.05, 26 + 6 * 60 - 1), 1, 8);

    assertThat(r.scalings()).isEqualTo(1);
  }

  @Test
  void theConfiguredParallelismIsTheFloor() {
    SideResult r = run(Traces.step(0.01, 24 * 60, 0, 24 * 60), 4, 8);

    assertThat(r.scalings()).isZero();
    assertThat(r.totalUsd()).isEqualByComparingTo("120"); // 24 h x (4 + 1)
  }

  @Test
  void maxParallelismCapsTheDoubling() {
    // Far more work than it can do: 4 -> 6 (not 8) at 900 s; then it wants 12 and cannot.
    SideResult r = run(Traces.step(100, 120, 100, 120), 4, 6);

    assertThat(r.scalings()).isEqualTo(1);
    assertThat(r.peakCapacityVcpus()).isEqualTo(6);
    assertThat(r.notes()).anyMatch(n -> n.contains("past the max parallelism 6"));
  }

  @Test
  void parallelismPerKpuSetsTheCapacity() {
    SideResult r =
        ManagedFlinkAutoscaling.simulate(
            Traces.step(0.5, 60, 0.5, 60),
            new ManagedFlinkAutoscaling.Rules(4, 4, 8, PAUSE),
            ONE_DOLLAR_PER_KPU,
            15,
            60);
    assertThat(r.peakCapacityVcpus()).isEqualTo(1); // ceil(4 / 4) KPU
    assertThat(r.scalings()).isZero(); // 50% of its one KPU
  }
}
