package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flinkspot.policy.PolicyFixtures;

/** Scaling sections and FlinkDeployments for tests, written as YAML. */
final class ScalingFixtures {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** 2 to 10 TaskManagers, every other knob at its default. */
  static final String TWO_TO_TEN =
      """
      minTaskManagers: 2
      maxTaskManagers: 10
      """;

  private ScalingFixtures() {}

  static ScalingSpec spec(String yaml) {
    try {
      return YAML.readValue(yaml, ScalingSpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ScalingPolicy policy(String yaml) {
    var result = ScalingPolicy.from(spec(yaml));
    if (!result.valid()) {
      throw new IllegalArgumentException(result.invalidMessage());
    }
    return result.policy();
  }

  static ObjectNode json(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The policy tests' FlinkDeployment {@code ticker} (namespace flink), with uid {@code 1234}. */
  static ObjectNode deployment(String specYaml) {
    ObjectNode d = PolicyFixtures.deployment(specYaml);
    ((ObjectNode) d.get("metadata")).put("uid", "1234");
    return d;
  }

  /**
   * A deployment that is ready for Reactive Mode under {@link #TWO_TO_TEN}: standalone, reactive,
   * checkpointed, 2 slots, max parallelism 720, an application job.
   */
  static ObjectNode reactiveDeployment() {
    return deployment(
        """
        mode: standalone
        flinkConfiguration:
          scheduler-mode: REACTIVE
          taskmanager.numberOfTaskSlots: "2"
          pipeline.max-parallelism: "720"
          execution.checkpointing.interval: 30s
          restart-strategy.type: exponential-delay
        job: {jarURI: "local:///opt/flink/usrlib/job.jar", upgradeMode: last-state}
        """);
  }
}
