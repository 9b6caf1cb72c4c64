package dev.flinkspot.flink.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Flink JVM (a JobManager or a TaskManager) started by the harness: stop it politely (SIGTERM,
 * what Kubernetes sends on a graceful pod deletion) or kill it (SIGKILL, a Spot reclaim that outran
 * the notice).
 */
public final class FlinkProcess {
  private final String name;
  private final Process process;
  private final Path log;

  private FlinkProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code mainClass} in a new JVM under {@link ParentWatchdog}. */
  static FlinkProcess start(
      String name,
      List<String> jvmOptions,
      String classpath,
      String mainClass,
      List<String> args,
      Path workDir,
      Path logDir) {
    try {
      Path cwd = Files.createDirectories(workDir.resolve("proc").resolve(name));
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      Path out = logDir.resolve(name + ".out");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      cmd.add("-Dlog.file=" + log);
      cmd.add("-cp");
      cmd.add(classpath);
      cmd.add(ParentWatchdog.class.getName());
      cmd.add(Long.toString(ProcessHandle.current().pid()));
      cmd.add(mainClass);
      cmd.addAll(args);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(cwd.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      // A parent's Flink settings must not leak into the cluster under test.
      pb.environment().keySet().removeIf(k -> k.startsWith("FLINK_"));
      return new FlinkProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process's Flink log file. */
  public Path log() {
    return log;
  }

  /** SIGTERM, then waits up to {@code grace} for the JVM to exit; SIGKILL if it has not. */
  public void stop(Duration grace) {
    process.destroy();
    if (!waitFor(grace)) {
      kill();
    }
  }

  /** SIGKILL: no shutdown hook, no goodbye to the JobManager. Waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /**
   * SIGSTOP: the process keeps its sockets open but answers nothing, like a reclaimed instance that
   * dropped off the network (a SIGKILLed process's sockets are closed by the kernel, which its
   * peers notice at once). {@link #kill()} ends it.
   */
  public void freeze() {
    try {
      Process p = new ProcessBuilder("kill", "-STOP", Long.toString(pid())).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -STOP " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits up to {@code timeout} for the process to exit; true if it has. */
  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + (isAlive() ? ")" : ", exited)");
  }
}
