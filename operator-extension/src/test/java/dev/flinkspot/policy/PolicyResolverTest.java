package dev.flinkspot.policy;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyResolverTest {

  private final StaticPolicyLookup lookup =
      new StaticPolicyLookup()
          .put("flink", "spot", spec(SPOT_TASKMANAGERS))
          .put("flink", "broken", spec("capacityLabels: {scheme: Custom}"));

  @Test
  void labelNamesThePolicy() {
    var r = PolicyResolver.resolve("flink", Map.of(FlinkSpotPolicy.POLICY_LABEL, "spot"), lookup);
    assertThat(r).isInstanceOf(PolicyResolver.Governed.class);
  }

  @Test
  void missingInvalidAndNotOptedIn() {
    assertThat(
            PolicyResolver.resolve("flink", Map.of(FlinkSpotPolicy.POLICY_LABEL, "nope"), lookup))
        .isEqualTo(new PolicyResolver.Missing("nope"));
    assertThat(
            PolicyResolver.resolve("flink", Map.of(FlinkSpotPolicy.POLICY_LABEL, "broken"), lookup))
        .isInstanceOf(PolicyResolver.Invalid.class);
    assertThat(PolicyResolver.resolve("flink", Map.of(), lookup))
        .isInstanceOf(PolicyResolver.NotOptedIn.class);
    assertThat(
            PolicyResolver.resolve("other", Map.of(FlinkSpotPolicy.POLICY_LABEL, "spot"), lookup))
        .isEqualTo(new PolicyResolver.Missing("spot"));
  }

  @Test
  void namespaceDefaultGovernsUnlabelledButNotOptedOut() {
    lookup.put("flink", "dflt", spec("namespaceDefault: true"));

    var unlabelled = PolicyResolver.resolve("flink", null, lookup);
    var optedOut =
        PolicyResolver.resolve("flink", Map.of(FlinkSpotPolicy.POLICY_LABEL, ""), lookup);

    assertThat(unlabelled)
        .isInstanceOfSatisfying(
            PolicyResolver.Governed.class, g -> assertThat(g.policy().name()).isEqualTo("dflt"));
    assertThat(optedOut).isInstanceOf(PolicyResolver.NotOptedIn.class);
  }

  @Test
  void twoDefaultsAreAmbiguous() {
    lookup
        .put("flink", "d1", spec("namespaceDefault: true"))
        .put("flink", "d2", spec("namespaceDefault: true"));

    assertThat(PolicyResolver.resolve("flink", Map.of(), lookup))
        .isEqualTo(new PolicyResolver.AmbiguousDefault(java.util.List.of("d1", "d2")));
  }
}
