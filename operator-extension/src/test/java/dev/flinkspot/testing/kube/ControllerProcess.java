package dev.flinkspot.testing.kube;

import dev.flinkspot.testing.MissingComponent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar operator-extension/target/flinkspot.jar controller ...} as a user runs it from a
 * laptop: a child process with a kubeconfig, not in a pod (no KUBERNETES_SERVICE_HOST), its stdout
 * and stderr captured in one file. {@code FLINKSPOT_JAR} runs another jar (for example one built
 * from an earlier commit, to show a test fails there).
 *
 * <p>The file is kept, passed or failed, as {@code
 * operator-extension/target/controller-logs/<TestClass>.<testMethod>-<n>.log}: {@link #close()}
 * runs (try-with-resources) before JUnit sees whether the test failed, so it cannot keep only the
 * failures' logs, and a passing run's log is what a failing one is compared with. The logs are a
 * few KB each, the next run of the same test overwrites them, and {@code mvn clean} removes them.
 */
public final class ControllerProcess implements AutoCloseable {

  /** Where the logs are kept, below the repository root. */
  public static final String LOG_DIR = "operator-extension/target/controller-logs";

  /** Processes started so far per test, so that a test's second controller has its own log. */
  private static final Map<String, Integer> STARTED = new ConcurrentHashMap<>();

  private final Process process;
  private final Path log;

  private ControllerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The packaged jar, or a skip (a failure under CI) when it is not built. */
  public static Path jar() {
    String other = System.getenv("FLINKSPOT_JAR");
    Path jar =
        other == null || other.isBlank()
            ? RepoRoot.find().resolve("operator-extension/target/flinkspot.jar")
            : Path.of(other);
    if (!Files.isRegularFile(jar)) {
      throw MissingComponent.skipOrFail(jar + " (built by mvn package, before the ITs)");
    }
    return jar;
  }

  /**
   * Starts {@code flinkspot <args>} in the repository root against {@code kubeconfig}, with {@code
   * env} added (FLINKSPOT_LOG_LEVEL and KUBERNETES_SERVICE_HOST are removed unless given).
   */
  public static ControllerProcess start(Path kubeconfig, List<String> args, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(args);
    Path log = logFile(testName());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(RepoRoot.find().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("FLINKSPOT_LOG_LEVEL");
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    return new ControllerProcess(builder.start(), log);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What it printed so far (stdout and stderr). */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "controller output unreadable: " + e;
    }
  }

  /** {@link #output()} with a heading naming the kept file, for assertion messages. */
  public String log() {
    return "controller log (" + log + "):\n" + output();
  }

  /** The file its output goes to, kept after {@link #close()}. */
  public Path logFile() {
    return log;
  }

  /** SIGTERM, as the kubelet stops a pod, and waits for the exit; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      stop();
    }
  }

  /** A new log file of {@code test}: {@code LOG_DIR/<test>-<n>.log}, n counting from 1. */
  static Path logFile(String test) throws IOException {
    Path dir = RepoRoot.find().resolve(LOG_DIR);
    Files.createDirectories(dir);
    return dir.resolve(test + "-" + STARTED.merge(test, 1, Integer::sum) + ".log");
  }

  /**
   * {@code Class.method} of the outermost project frame on the calling stack: the test (or
   * lifecycle) method JUnit called, whatever helper of the test started the process.
   */
  static String testName() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(f -> f.getClassName().startsWith("dev.flinkspot."))
                    .reduce((inner, outer) -> outer))
        .map(
            f ->
                f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1)
                    + "."
                    + f.getMethodName())
        .orElse("controller");
  }

  /** A port free at the moment (8080 and 8090 may be taken on a shared machine). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
