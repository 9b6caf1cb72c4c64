package dev.flinkspot.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TaskManager preStop flinkspot's admission defaults add ({@code
 * dev.flinkspot.scaling.TaskManagerDrain} in operator-extension), run as the kubelet runs an exec
 * hook: the exact command operator-extension's ReactiveDefaultsExportTest exported to {@code
 * <flinkspot.reactive-defaults.dir>/taskmanager-prestop.json}, its last argument (the JobManager
 * REST base URL the admission baked in) pointed at a harness JobManager instead. Public for the e2e
 * modules, which run it between a Spot notice and the SIGTERM.
 */
public final class PreStopScript {
  /** The script's bound on its wait, seconds (TaskManagerDrain.PRE_STOP_MAX_SECONDS). */
  public static final int MAX_SECONDS = 20;

  private PreStopScript() {}

  /** The exported command, or why it is missing (build operator-extension first). */
  public static List<String> exported() {
    Path file =
        Path.of(System.getProperty("flinkspot.reactive-defaults.dir", ""))
            .resolve("taskmanager-prestop.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " is missing: build operator-extension first (mvn -B -o -pl operator-extension"
              + " test -Dtest=ReactiveDefaultsExportTest, or mvn -B verify)");
    }
    try {
      List<String> command = new ArrayList<>();
      for (JsonNode arg : new ObjectMapper().readTree(file.toFile())) {
        command.add(arg.asText());
      }
      return command;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exported command with {@code restBase} (scheme, host and port) as its REST base URL. */
  public static List<String> command(URI restBase) {
    List<String> command = new ArrayList<>(exported());
    command.set(command.size() - 1, restBase.getScheme() + "://" + restBase.getAuthority());
    return command;
  }

  /** How a run went: its time from start to exit, and its exit code (non-zero: kubelet warns). */
  public record Ran(Duration took, int exitCode) {}

  /** Runs it to its end (killed after {@code limit}). */
  public static Ran run(URI restBase, Duration limit) {
    long start = System.nanoTime();
    try {
      Process p =
          new ProcessBuilder(command(restBase))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("the preStop ran longer than " + limit);
      }
      return new Ran(Duration.ofNanos(System.nanoTime() - start), p.exitValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
