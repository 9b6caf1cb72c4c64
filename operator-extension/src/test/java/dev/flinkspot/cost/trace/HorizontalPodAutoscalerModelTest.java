package dev.flinkspot.cost.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.scaling.ScaleTarget;
import dev.flinkspot.scaling.ScalingPolicy;
import dev.flinkspot.scaling.ScalingSpec;
import org.junit.jupiter.api.Test;

/**
 * The HPA decision on the HPA flinkspot writes with its default behaviour: scale-up without window,
 * 4 TaskManagers or 100% per 60 s; scale-down after a 300 s window, 1 TaskManager or 25% per 300 s
 * (ScalingPolicy.DEFAULT_SCALE_UP / DEFAULT_SCALE_DOWN). Expected values follow
 * kubernetes/kubernetes pkg/controller/podautoscaler (horizontal.go, replica_calculator.go).
 */
class HorizontalPodAutoscalerModelTest {

  static HorizontalPodAutoscalerModel hpa(int min, int max, int targetCpu) {
    ScalingPolicy policy =
        ScalingPolicy.from(new ScalingSpec(true, min, max, targetCpu, null, null, null, null))
            .policy();
    return new HorizontalPodAutoscalerModel(
        HpaSpecs.desired(new ScaleTarget("ns", "job", "uid", 2, 720), policy).hpa());
  }

  @Test
  void doublesLoadDoublesReplicasAtOnce() {
    // 130% of requests against a 65% target: ratio 2, ceil(2 x 2) = 4; the limit is max(2 + 4, 2 x
    // 2).
    assertThat(hpa(1, 20, 65).sync(0, 2, 2, 130)).isEqualTo(4);
  }

  @Test
  void withinTenPercentOfTheTargetNothingChanges() {
    assertThat(hpa(1, 20, 65).sync(0, 2, 2, 71)).isEqualTo(2); // ratio 1.09
    assertThat(hpa(1, 20, 65).sync(0, 2, 2, 72)).isEqualTo(3); // ratio 1.11: ceil(2.2)
  }

  @Test
  void scaleUpIsLimitedByTheLargerPolicy() {
    // ratio 10 on 3 pods wants 30; Pods: 3 + 4 = 7, Percent: 3 x 2 = 6; selectPolicy Max: 7.
    assertThat(hpa(1, 50, 10).sync(0, 3, 3, 100)).isEqualTo(7);
  }

  @Test
  void pendingPodsCountAsIdleWhenScalingUp() {
    // 4 wanted, 2 ready at 100% and 2 pending: (100 x 2) / (65 x 4) = 0.77: no change.
    assertThat(hpa(1, 20, 65).sync(0, 4, 2, 100)).isEqualTo(4);
  }

  @Test
  void scaleDownWaitsForItsWindowThenStepsByTheLargerPolicy() {
    HorizontalPodAutoscalerModel hpa = hpa(1, 20, 65);
    int replicas = 10;
    int[] at = new int[1000];
    for (int t = 0; t <= 900; t += 15) {
      replicas = hpa.sync(t, replicas, replicas, 13); // ratio 0.2: wants 2
      at[t] = replicas;
    }
    assertThat(at[285]).isEqualTo(10); // the current size is the first recommendation
    assertThat(at[300]).isEqualTo(7); // Pods: 10 - 1, Percent: int(10 x 0.75) = 7; Max -> 7
    assertThat(at[585]).isEqualTo(7); // the 300 s period still holds the 3 removed
    assertThat(at[600]).isEqualTo(5); // int(7 x 0.75) = 5
    assertThat(at[900]).isEqualTo(3); // int(5 x 0.75) = 3
  }

  @Test
  void boundsComeFromTheHpa() {
    HorizontalPodAutoscalerModel hpa = hpa(2, 6, 65);
    assertThat(hpa.minReplicas()).isEqualTo(2);
    assertThat(hpa.maxReplicas()).isEqualTo(6);
    assertThat(hpa.sync(0, 4, 4, 100)).isEqualTo(6);
  }
}
