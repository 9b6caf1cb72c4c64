package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.ControlPlaneBinaries;
import dev.flinkspot.testing.kube.RepoRoot;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kubectl-flinkspot found by a real kubectl (the tools/kube build) as a plugin: installed the
 * README's way, as a link in a directory on PATH, {@code kubectl flinkspot ...} runs the CLI of
 * target/flinkspot.jar.
 */
class KubectlPluginIT {

  @Test
  void kubectlRunsTheCliAsAPlugin(@TempDir Path home) throws Exception {
    Path kubectl = ControlPlaneBinaries.ensure().kubectl();
    Path root = RepoRoot.find();
    assertThat(root.resolve("operator-extension/target/flinkspot.jar")).as("mvn package").exists();
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.createSymbolicLink(
        bin.resolve("kubectl-flinkspot"), root.resolve("bin/kubectl-flinkspot"));
    String path = bin + File.pathSeparator + System.getenv("PATH");

    CommandResult plugins = run(List.of(kubectl.toString(), "plugin", "list"), path, home);
    CommandResult version = run(List.of(kubectl.toString(), "flinkspot", "--version"), path, home);
    CommandResult bad = run(List.of(kubectl.toString(), "flinkspot", "bill", "--help"), path, home);

    assertThat(plugins.stdout()).as(plugins.describe()).contains(bin + "/kubectl-flinkspot");
    assertThat(version.ok()).as(version.describe()).isTrue();
    assertThat(version.stdout()).startsWith("flinkspot 0.");
    assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(2);
    assertThat(bad.stderr()).contains("unknown command 'bill'");
  }

  private static CommandResult run(List<String> command, String path, Path home) throws Exception {
    var builder = new ProcessBuilder(command).directory(home.toFile());
    builder.environment().put("PATH", path);
    builder.environment().put("HOME", home.toString());
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int exit = process.waitFor();
    return new CommandResult(
        command,
        exit,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
