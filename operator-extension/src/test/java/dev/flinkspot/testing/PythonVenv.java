package dev.flinkspot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Python tool the tests run for real, pinned, installed by the test itself from PyPI into a venv
 * under {@code ~/.cache/flinkspot/<name>-<version>} (or {@code $FLINKSPOT_CACHE_DIR}) once per
 * machine. Without Python 3.9+, its venv module, or PyPI, the test is skipped with a message naming
 * what is missing, and fails under {@code CI=true}.
 */
public final class PythonVenv {

  private PythonVenv() {}

  /**
   * The venv holding {@code requirement==version}, installed on first use; {@code executable} (in
   * its bin/) tells an installed venv.
   */
  public static Path install(
      String name, String requirement, String version, String executable, Duration timeout) {
    String cacheDir = System.getenv("FLINKSPOT_CACHE_DIR");
    Path cache =
        cacheDir == null || cacheDir.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "flinkspot")
            : Path.of(cacheDir);
    Path venv = cache.resolve(name + "-" + version);
    Path marker = venv.resolve(".flinkspot-installed");
    try {
      Files.createDirectories(cache);
      try (FileChannel lockFile =
          FileChannel.open(
              cache.resolve(name + "-" + version + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        lockFile.lock(); // held until the channel closes: one installer per machine at a time
        if (Files.exists(marker) && Files.isExecutable(venv.resolve("bin/" + executable))) {
          return venv;
        }
        String python = findPython(requirement + "==" + version);
        deleteTree(venv);
        Path logDir = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(logDir);
        Path installLog = logDir.resolve("install.log");
        if (run(List.of(python, "-m", "venv", venv.toString()), installLog, timeout) != 0) {
          throw MissingComponent.skipOrFail(
              "the python3 venv module (apt-get install python3-venv); see " + installLog);
        }
        List<String> pip =
            List.of(
                venv.resolve("bin/python").toString(),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                requirement + "==" + version);
        if (run(pip, installLog, timeout) != 0) {
          throw MissingComponent.skipOrFail(
              requirement
                  + "=="
                  + version
                  + " from PyPI (pip install failed; see "
                  + installLog
                  + ")");
        }
        Files.writeString(marker, version + "\n");
        return venv;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String findPython(String forWhat) {
    for (String candidate : List.of("python3", "python")) {
      try {
        Process probe =
            new ProcessBuilder(candidate, "-c", "import sys; assert sys.version_info >= (3, 9)")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not on the PATH
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw MissingComponent.skipOrFail(
        "python3 >= 3.9 on the PATH (to install " + forWhat + " from PyPI)");
  }

  private static int run(List<String> command, Path log, Duration timeout) throws IOException {
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
