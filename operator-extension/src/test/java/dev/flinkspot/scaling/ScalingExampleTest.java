package dev.flinkspot.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.testing.kube.RepoRoot;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code k8s/examples/scaling-custom-metrics.md} true: its policy and FlinkDeployment are
 * valid and clean, and its HPA block is exactly what {@link HpaSpecs} builds from them. With {@code
 * FLINKSPOT_REGENERATE=1} the test rewrites the HPA block instead of failing.
 */
class ScalingExampleTest {

  static final Path EXAMPLE = Path.of("k8s", "examples", "scaling-custom-metrics.md");

  /** What the example shows in place of the FlinkDeployment's uid (the API server assigns it). */
  static final String UID_PLACEHOLDER = "<uid of FlinkDeployment stock-ticker>";

  @Test
  void theExampleHpaIsWhatTheCodeBuilds() throws Exception {
    Path file = RepoRoot.find().resolve(EXAMPLE);
    String doc = Files.readString(file, StandardCharsets.UTF_8);

    ScalingPolicy policy = policyOf(block(doc, "policy"));
    ObjectNode deployment = ScalingFixtures.json(block(doc, "flinkdeployment"));
    ObjectNode admitted = ReactiveDefaults.apply(deployment, policy).defaulted();
    assertThat(ReactiveValidator.validate(admitted, policy)).as("the example is clean").isEmpty();

    ScaleTarget read = ScaleTarget.of(admitted);
    ScaleTarget target =
        new ScaleTarget(
            read.namespace(),
            read.name(),
            UID_PLACEHOLDER,
            read.slotsPerTaskManager(),
            read.maxParallelism());
    var desired = HpaSpecs.desired(target, policy);
    assertThat(desired.findings()).isEmpty();
    String hpaYaml = yaml(desired.hpa());

    String expected = replaceBlock(doc, "hpa", hpaYaml);
    if (!expected.equals(doc) && "1".equals(System.getenv("FLINKSPOT_REGENERATE"))) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      doc = expected;
    }
    assertThat(block(doc, "hpa"))
        .as("%s is out of date: rerun with FLINKSPOT_REGENERATE=1", EXAMPLE)
        .isEqualTo(hpaYaml);
  }

  static ScalingPolicy policyOf(String policyYaml) throws Exception {
    JsonNode scaling = ScalingFixtures.json(policyYaml).path("spec").path("scaling");
    ScalingSpec spec = ScalingFixtures.YAML.treeToValue(scaling, ScalingSpec.class);
    var result = ScalingPolicy.from(spec);
    assertThat(result.invalidMessage()).isNull();
    return result.policy();
  }

  static String yaml(HorizontalPodAutoscaler hpa) {
    String out = new KubernetesSerialization().asYaml(hpa);
    return out.startsWith("---\n") ? out.substring(4) : out;
  }

  private static Pattern fence(String tag) {
    return Pattern.compile("(```yaml " + tag + "\n)(.*?)(```)", Pattern.DOTALL);
  }

  static String block(String doc, String tag) {
    Matcher m = fence(tag).matcher(doc);
    assertThat(m.find()).as("a ```yaml %s block", tag).isTrue();
    return m.group(2);
  }

  static String replaceBlock(String doc, String tag, String content) {
    Matcher m = fence(tag).matcher(doc);
    assertThat(m.find()).as("a ```yaml %s block", tag).isTrue();
    return doc.substring(0, m.start(2)) + content + doc.substring(m.end(2));
  }
}
