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
 * target/flinkspot.jar, and kubectl's shell completion completes it through
 * bin/kubectl_complete-flinkspot.
 */
class KubectlPluginIT {

  @Test
  void kubectlRunsTheCliAsAPlugin(@TempDir Path home) throws Exception {
    Path kubectl = ControlPlaneBinaries.ensure().kubectl();
    Path root = RepoRoot.find();
    assertThat(root.resolve("operator-extension/target/flinkspot.jar")).as("mvn package").exists();
    Path bin = Files.createDirectories(home.resolve("bin"));
    for (String launcher : List.of("kubectl-flinkspot", "kubectl_complete-flinkspot")) {
      Files.createSymbolicLink(bin.resolve(launcher), root.resolve("bin").resolve(launcher));
    }
    String path = bin + File.pathSeparator + System.getenv("PATH");

    CommandResult plugins = run(List.of(kubectl.toString(), "plugin", "list"), path, home);
    CommandResult version = run(List.of(kubectl.toString(), "flinkspot", "--version"), path, home);
    CommandResult bad = run(List.of(kubectl.toString(), "flinkspot", "bil", "--help"), path, home);
    // What kubectl's shell completion asks on `kubectl flinkspot co<TAB>` and `... -o <TAB>`.
    CommandResult commands =
        run(List.of(kubectl.toString(), "__complete", "flinkspot", "co"), path, home);
    CommandResult formats =
        run(List.of(kubectl.toString(), "__complete", "flinkspot", "report", "-o", ""), path, home);

    assertThat(plugins.stdout()).as(plugins.describe()).contains(bin + "/kubectl-flinkspot");
    assertThat(version.ok()).as(version.describe()).isTrue();
    assertThat(version.stdout()).startsWith("flinkspot 0.");
    assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(2);
    assertThat(bad.stderr()).contains("unknown command 'bil'");
    assertThat(commands.stdout().lines()).as(commands.describe()).contains("cost", "controller");
    assertThat(formats.stdout().lines()).as(formats.describe()).contains("table", "json", "html");
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
