package dev.flinkspot.cost.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * flinkspot's side on hand-computed traces. TaskManagers of 1 vCPU, two per node; an hour costs $1
 * plus $1 per TaskManager node; HPA target 50% CPU with flinkspot's default behaviour.
 */
class SelfManagedScalingTest {
  static final SelfManagedScaling.Pricing TWO_PER_NODE =
      new SelfManagedScaling.Pricing(n -> (n + 1) / 2, n -> BigDecimal.valueOf(1 + (n + 1) / 2));

  static SideResult run(LoadTrace trace, long launchSeconds) {
    return SelfManagedScaling.simulate(
        trace,
        HorizontalPodAutoscalerModelTest.hpa(1, 10, 50),
        new SelfManagedScaling.Rules(2, 1.0, 6.45, 60, launchSeconds, 600),
        TWO_PER_NODE,
        60);
  }

  @Test
  void aSteadyLoadAtTheTargetNeverRescales() {
    SideResult r = run(Traces.step(1, 60, 1, 60), 120);

    assertThat(r.scalings()).isZero();
    assertThat(r.pausedSeconds()).isZero();
    assertThat(r.totalUsd()).isEqualByComparingTo("2"); // 1 node: $1 + $1 for the hour
  }

  @Test
  void moreLoadWaitsForTheNewNodeThenPausesOnce() {
    // Minute 10 on, 2 vCPU on 2 TaskManagers: 100%, the HPA sets 4 at the 600 s sync. The
    // second node is billed from 615 s and ready at 615 + 120 s; the job rescales then, pausing
    // 6.45 s (under-provisioned meanwhile); 4 TaskManagers at 50% stay.
    SideResult r = run(Traces.step(1, 10, 2, 60), 120);

    assertThat(r.scalings()).isEqualTo(1);
    assertThat(r.pausedSeconds()).isCloseTo(6.45, within(1e-9));
    assertThat(r.underProvisionedSeconds()).isCloseTo(6.45, within(1e-9));
    // $2/h for 615 s, $3/h for 2985 s
    assertThat(r.totalUsd().doubleValue()).isCloseTo((2 * 615 + 3 * 2985) / 3600.0, within(1e-9));
    // 2 vCPU until 735 s, paused 6.45 s, then 4 vCPU
    assertThat(r.hourlyCapacityVcpus()[0])
        .isCloseTo((2 * 735 + 4 * (3600 - 735 - 6.45)) / 3600.0, within(1e-9));
  }

  @Test
  void theNodeLaunchDelayDelaysTheCapacity() {
    SideResult slow = run(Traces.step(1, 10, 2, 60), 600);
    SideResult fast = run(Traces.step(1, 10, 2, 60), 0);

    assertThat(fast.hourlyCapacityVcpus()[0] - slow.hourlyCapacityVcpus()[0])
        .isCloseTo(2 * 600 / 3600.0, within(1e-9));
    assertThat(fast.totalUsd()).isEqualByComparingTo(slow.totalUsd()); // billed from launch
  }

  @Test
  void lessLoadReleasesTheNodeAfterTheReleaseDelay() {
    // 4 TaskManagers at 12.5% from the start: the HPA halves them after its 300 s window and
    // steps of 25% or 1; the empty node goes 600 s after it is no longer needed.
    SideResult r =
        SelfManagedScaling.simulate(
            Traces.step(0.5, 120, 0.5, 120),
            HorizontalPodAutoscalerModelTest.hpa(1, 10, 50),
            new SelfManagedScaling.Rules(4, 1.0, 6.45, 60, 120, 600),
            TWO_PER_NODE,
            60);

    assertThat(r.scalings()).isGreaterThanOrEqualTo(2);
    assertThat(r.hourlyCapacityVcpus()[1]).isEqualTo(1.0); // one TaskManager in hour 1
    // billed 2 nodes ($3/h) at first, 1 node ($2/h) at the end
    assertThat(r.hourlyUsd().get(0)).isGreaterThan(new BigDecimal("2"));
    assertThat(r.hourlyUsd().get(1)).isEqualByComparingTo("2");
  }
}
