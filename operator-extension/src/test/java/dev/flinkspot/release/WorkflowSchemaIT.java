package dev.flinkspot.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.PythonVenv;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.KubeControlPlane;
import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows under .github/workflows validate against the GitHub Actions workflow schema
 * (SchemaStore's github-workflow.json, as vendored by check-jsonschema from PyPI, pinned here and
 * installed into a venv by the test), and the validator refuses a broken workflow.
 */
class WorkflowSchemaIT {
  static final String CHECK_JSONSCHEMA = "0.39.0";

  private static CommandResult validate(Path... workflows) {
    Path venv =
        PythonVenv.install(
            "check-jsonschema",
            "check-jsonschema",
            CHECK_JSONSCHEMA,
            "check-jsonschema",
            Duration.ofMinutes(10));
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                venv.resolve("bin/check-jsonschema").toString(),
                "--builtin-schema",
                "vendor.github-workflows"));
    for (Path workflow : workflows) {
      command.add(workflow.toString());
    }
    return KubeControlPlane.run(command, RepoRoot.find());
  }

  @Test
  void ciAndReleaseMatchTheWorkflowSchema() {
    Path dir = RepoRoot.find().resolve(".github/workflows");
    CommandResult result = validate(dir.resolve("ci.yml"), dir.resolve("release.yml"));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.stdout()).contains("ok -- validation done");
  }

  @Test
  void aWorkflowBreakingTheSchemaIsRefused(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.yml");
    Files.writeString(
        broken,
        Files.readString(RepoRoot.find().resolve(".github/workflows/ci.yml"))
            .replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04"));
    CommandResult result = validate(broken);
    assertThat(result.ok()).isFalse();
    assertThat(result.stdout() + result.stderr()).contains("broken.yml");
  }
}
