package dev.flinkspot.testing.kube;

import dev.flinkspot.testing.MissingComponent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar operator-extension/target/flinkspot.jar controller ...} as a user runs it from a
 * laptop: a child process with a kubeconfig, not in a pod (no KUBERNETES_SERVICE_HOST), its stdout
 * and stderr captured in one file. {@code FLINKSPOT_JAR} runs another jar (for example one built
 * from an earlier commit, to show a test fails there).
 */
public final class ControllerProcess implements AutoCloseable {

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
    Path log = Files.createTempFile("flinkspot-controller-", ".log");
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

  /** {@link #output()} with a heading, for assertion messages. */
  public String log() {
    return "controller log:\n" + output();
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
    Files.deleteIfExists(log);
  }

  /** A port free at the moment (8080 and 8090 may be taken on a shared machine). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
