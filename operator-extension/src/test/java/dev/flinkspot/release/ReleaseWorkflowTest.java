package dev.flinkspot.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions workflows cannot run here; this checks the jobs and steps that matter in them:
 * CI runs .ci/run on pull requests with CI=true, and a tag publishes the controller image (Jib,
 * with its digest), the multi-arch job image and the chart with that digest set.
 */
class ReleaseWorkflowTest {

  @Test
  void ciRunsTheReadmeTestCommandOnPullRequestsWithCiTrue() throws Exception {
    JsonNode ci = workflow("ci.yml");
    assertThat(ci.path("on").has("pull_request")).isTrue();
    JsonNode verify = ci.at("/jobs/verify");
    assertThat(verify.at("/env/CI").asText()).isEqualTo("true");
    assertThat(uses(verify)).contains("actions/setup-java@v4", "actions/setup-go@v5");
    assertThat(runs(verify)).contains(".ci/run");
    assertThat(verify.path("timeout-minutes").asInt()).isBetween(30, 90);
  }

  @Test
  void aVersionTagPublishesTheControllerImageWithJibAndKeepsItsDigest() throws Exception {
    JsonNode release = workflow("release.yml");
    assertThat(release.at("/on/push/tags").toString()).contains("v*.*.*");
    JsonNode controller = release.at("/jobs/controller-image");
    assertThat(controller.at("/permissions/packages").asText()).isEqualTo("write");
    String build = String.join("\n", runs(controller));
    assertThat(build)
        .contains("jib:build", "-Dimage=\"$REPOSITORY:$VERSION\"")
        .contains("operator-extension/target/jib-image.digest");
    assertThat(controller.at("/outputs/digest").asText()).contains("steps.jib.outputs.digest");
  }

  @Test
  void theJobImageIsBuiltForAmd64AndArm64FromTheDockerfile() throws Exception {
    JsonNode job = workflow("release.yml").at("/jobs/job-image");
    JsonNode build = step(job, "docker/build-push-action@v6");
    assertThat(build.at("/with/file").asText()).isEqualTo("Dockerfile");
    assertThat(build.at("/with/platforms").asText()).isEqualTo("linux/amd64,linux/arm64");
    assertThat(build.at("/with/push").asBoolean()).isTrue();
    assertThat(uses(job)).contains("docker/setup-qemu-action@v3", "docker/setup-buildx-action@v3");
  }

  @Test
  void theChartIsReleasedWithTheImageDigestAsAnOciArtifact() throws Exception {
    JsonNode chart = workflow("release.yml").at("/jobs/chart");
    assertThat(chart.path("needs").asText()).isEqualTo("controller-image");
    assertThat(chart.at("/env/DIGEST").asText())
        .isEqualTo("${{ needs.controller-image.outputs.digest }}");
    String steps = String.join("\n", runs(chart));
    assertThat(steps.indexOf("tools/release/set-image.sh \"$VERSION\" \"$REPOSITORY\" \"$DIGEST\""))
        .as("the image is set before the chart is packaged")
        .isNotNegative()
        .isLessThan(steps.indexOf("package charts/flinkspot"));
    assertThat(steps).contains("push \"dist/flinkspot-$VERSION.tgz\" \"oci://ghcr.io/");
    assertThat(steps).contains("gh pr create");
  }

  private static JsonNode workflow(String name) throws Exception {
    return new YAMLMapper()
        .readTree(Files.readString(RepoRoot.find().resolve(".github/workflows").resolve(name)));
  }

  private static JsonNode step(JsonNode job, String uses) {
    for (JsonNode step : job.path("steps")) {
      if (uses.equals(step.path("uses").asText())) {
        return step;
      }
    }
    throw new AssertionError("no step uses " + uses);
  }

  private static List<String> uses(JsonNode job) {
    List<String> all = new ArrayList<>();
    job.path("steps").forEach(s -> all.add(s.path("uses").asText()));
    return all;
  }

  private static List<String> runs(JsonNode job) {
    List<String> all = new ArrayList<>();
    job.path("steps").forEach(s -> all.add(s.path("run").asText()));
    return all;
  }
}
