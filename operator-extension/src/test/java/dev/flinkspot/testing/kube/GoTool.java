package dev.flinkspot.testing.kube;

import dev.flinkspot.testing.ResolvedOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command-line tool the tests run for real, built from its published Go module by {@code
 * tools/build-go-tool.sh} (like the control plane by tools/kube/build.sh): helm from {@code
 * tools/helm}, promtool from {@code tools/prometheus}. Built once (the script caches the binary
 * under {@code ~/.kubeapitest/<name>/<version>}), resolved once per JVM. Without Go and without a
 * cached binary the test is skipped, or fails under {@code CI=true}.
 */
public enum GoTool {
  HELM("tools/helm"),
  PROMTOOL("tools/prometheus");

  private final String wrapperModule;
  private final ResolvedOnce<Path> binary = new ResolvedOnce<>(this::build);

  GoTool(String wrapperModule) {
    this.wrapperModule = wrapperModule;
  }

  /** The binary, built if needed; or the calling test is skipped (failed under CI). */
  public Path binary() {
    return binary.get();
  }

  /** Runs the tool in the repository root with these arguments. */
  public CommandResult run(String... args) {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    command.addAll(List.of(args));
    return KubeControlPlane.run(command, RepoRoot.find());
  }

  private Object build() {
    Path root = RepoRoot.find();
    if (ControlPlaneBinaries.onPath("go").isEmpty()) {
      return "the Go toolchain ('go' on PATH, Go 1.24+) to build "
          + name().toLowerCase()
          + " with tools/build-go-tool.sh "
          + wrapperModule;
    }
    long start = System.nanoTime();
    CommandResult result =
        KubeControlPlane.run(List.of("bash", "tools/build-go-tool.sh", wrapperModule), root);
    if (!result.ok()) {
      return new AssertionError(
          "building " + name().toLowerCase() + " failed: " + result.describe());
    }
    String[] lines = result.stdout().strip().split("\n");
    Path binary = Path.of(lines[lines.length - 1]);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "tools/build-go-tool.sh printed no binary: " + result.describe());
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    if (seconds > 5) {
      System.err.println("[" + name().toLowerCase() + "] built in " + seconds + " s: " + binary);
    }
    return binary;
  }
}
