package dev.flinkspot.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.GoTool;
import dev.flinkspot.testing.kube.KubeControlPlane;
import dev.flinkspot.testing.kube.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/release/set-image.sh, as the release workflow runs it after Jib pushed the image, on a copy
 * of the repository's chart, tools and k8s/: the image lands by digest in the chart's values and in
 * k8s/base, the chart still lints, and bad input changes nothing.
 */
class ReleaseScriptIT {
  static final String DIGEST =
      "sha256:89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567";

  @Test
  void theReleasedImageIsSetByDigestInTheChartAndTheKustomizeBase(@TempDir Path copy)
      throws IOException {
    GoTool.HELM.binary(); // built (or skipped) before the script needs it
    copyRepository(copy);

    CommandResult result = setImage(copy, "0.2.0", "ghcr.io/acme/flinkspot", DIGEST);

    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(Files.readString(copy.resolve("charts/flinkspot/Chart.yaml")))
        .contains("\nversion: 0.2.0\n", "\nappVersion: 0.2.0\n");
    assertThat(Files.readString(copy.resolve("charts/flinkspot/values.yaml")))
        .contains(
            "  repository: ghcr.io/acme/flinkspot\n", "  tag: \"0.2.0\"", "  digest: \"" + DIGEST);
    assertThat(Files.readString(copy.resolve("k8s/base/deployment.yaml")))
        .contains("image: ghcr.io/acme/flinkspot@" + DIGEST + "\n");
    CommandResult lint =
        GoTool.HELM.run("lint", "--strict", copy.resolve("charts/flinkspot").toString());
    assertThat(lint.ok()).as(lint.describe()).isTrue();
  }

  @Test
  void aBadDigestIsOneLineExitTwoAndChangesNothing(@TempDir Path copy) throws IOException {
    copyRepository(copy);
    String values = Files.readString(copy.resolve("charts/flinkspot/values.yaml"));

    CommandResult result = setImage(copy, "0.2.0", "ghcr.io/acme/flinkspot", "latest");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().strip().lines()).hasSize(1);
    assertThat(result.stderr()).contains("DIGEST 'latest'");
    assertThat(Files.readString(copy.resolve("charts/flinkspot/values.yaml"))).isEqualTo(values);
  }

  private static CommandResult setImage(Path copy, String... args) {
    List<String> command =
        Stream.concat(
                Stream.of("bash", copy.resolve("tools/release/set-image.sh").toString()),
                Stream.of(args))
            .toList();
    return KubeControlPlane.run(command, copy);
  }

  private static void copyRepository(Path copy) throws IOException {
    Path root = RepoRoot.find();
    for (String dir : List.of("charts", "tools/helm", "tools/release", "k8s/base")) {
      try (Stream<Path> files = Files.walk(root.resolve(dir))) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(root.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
    }
    Files.copy(root.resolve("tools/build-go-tool.sh"), copy.resolve("tools/build-go-tool.sh"));
  }
}
