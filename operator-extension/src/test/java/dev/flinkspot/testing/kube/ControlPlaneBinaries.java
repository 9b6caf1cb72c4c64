package dev.flinkspot.testing.kube;

import dev.flinkspot.testing.MissingComponent;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.OSInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The control-plane binaries built by {@code tools/kube/build.sh} from the upstream Go modules, in
 * the directory Fabric8 kube-api-test reads ({@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/
 * <version>-<os>-<arch>}). {@link #ensure()} runs the (idempotent, cached) build script once per
 * JVM when Go is on the PATH; without Go and without binaries the test is skipped, or fails under
 * {@code CI=true}.
 */
public record ControlPlaneBinaries(Path repoRoot, Path testDir, String version, Path dir) {

  public static final List<String> NAMES =
      List.of("kube-apiserver", "etcd", "kubectl", "kube-scheduler", "kube-controller-manager");

  private static Object ensured;

  /** Builds the binaries when needed and returns them, or skips/fails the calling test. */
  public static synchronized ControlPlaneBinaries ensure() {
    resolve();
    if (ensured instanceof String missing) {
      throw MissingComponent.skipOrFail(missing);
    }
    if (ensured instanceof RuntimeException e) {
      throw e;
    }
    return (ControlPlaneBinaries) ensured;
  }

  /** What is missing to have the binaries (building them if Go is there), if anything. */
  public static synchronized Optional<String> missing() {
    resolve();
    return ensured instanceof String missing ? Optional.of(missing) : Optional.empty();
  }

  private static void resolve() {
    if (ensured == null) {
      try {
        ensured = locateOrBuild();
      } catch (RuntimeException e) {
        ensured = e; // a broken build fails every test that needs it, without rebuilding each time
      }
    }
  }

  public Path kubeApiServer() {
    return dir.resolve("kube-apiserver");
  }

  public Path etcd() {
    return dir.resolve("etcd");
  }

  public Path kubectl() {
    return dir.resolve("kubectl");
  }

  public Path kubeScheduler() {
    return dir.resolve("kube-scheduler");
  }

  public Path kubeControllerManager() {
    return dir.resolve("kube-controller-manager");
  }

  /** The build script; the repository root is found from the working directory upwards. */
  public Path buildScript() {
    return repoRoot.resolve("tools/kube/build.sh");
  }

  private static Object locateOrBuild() {
    Path root = RepoRoot.find();
    String testDir =
        Optional.ofNullable(System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR))
            .orElse(
                new File(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME)
                    .getPath());
    String version = kubernetesVersion(root);
    Path dir =
        Path.of(testDir, "k8s", version + Utils.platformSuffix(new OSInfo())).toAbsolutePath();
    var binaries = new ControlPlaneBinaries(root, Path.of(testDir).toAbsolutePath(), version, dir);
    Optional<Path> go = onPath("go");
    if (go.isPresent()) {
      binaries.build();
      return binaries;
    }
    if (binaries.complete()) {
      return binaries; // built earlier, e.g. by another checkout or by hand
    }
    return "the Go toolchain ('go' on PATH, Go 1.24+) to build the test control plane"
        + " (kube-apiserver, etcd, kubectl, kube-scheduler, kube-controller-manager v"
        + version
        + ") with "
        + binaries.buildScript()
        + "; or those binaries in "
        + dir;
  }

  private boolean complete() {
    return NAMES.stream().allMatch(n -> Files.isExecutable(dir.resolve(n)));
  }

  private void build() {
    Path log = repoRoot.resolve("operator-extension/target/kube-build.log");
    var command = List.of("bash", buildScript().toString());
    if (!complete()) {
      System.err.println(
          "[kube] building the test control plane with "
              + buildScript()
              + " (the first build takes about 15 min on 2 cores; log: "
              + log
              + ")");
    }
    long start = System.nanoTime();
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .directory(repoRoot.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      int exit = process.waitFor();
      String output = Files.readString(log);
      if (exit != 0) {
        throw new IllegalStateException(
            "tools/kube/build.sh failed (exit " + exit + "), output in " + log + ":\n" + output);
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      if (seconds > 5) {
        System.err.println("[kube] built the test control plane in " + seconds + " s:\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the control plane", e);
    }
    if (!complete()) {
      throw new IllegalStateException("tools/kube/build.sh left binaries missing in " + dir);
    }
  }

  /** The Kubernetes version pinned in {@code tools/kube/k8s/go.mod}. */
  static String kubernetesVersion(Path root) {
    Pattern require = Pattern.compile("\\bk8s\\.io/kubernetes v(\\d+\\.\\d+\\.\\d+)\\b");
    try {
      Matcher m = require.matcher(Files.readString(root.resolve("tools/kube/k8s/go.mod")));
      if (!m.find()) {
        throw new IllegalStateException(
            "no k8s.io/kubernetes requirement in tools/kube/k8s/go.mod");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Optional<Path> onPath(String executable) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s, executable))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
