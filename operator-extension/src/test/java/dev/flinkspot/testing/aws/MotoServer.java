package dev.flinkspot.testing.aws;

import dev.flinkspot.testing.MissingComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real local AWS-compatible endpoint for tests: the moto server from PyPI, pinned, installed by
 * the test itself into a venv under {@code ~/.cache/flinkspot/moto-<version>} (once per machine;
 * {@code FLINKSPOT_CACHE_DIR} moves it) and run on 127.0.0.1 with a free port. Without python3 (or
 * its venv module, or PyPI) the test is skipped with a message naming what is missing, and fails
 * under {@code CI=true}.
 */
public final class MotoServer implements AutoCloseable {
  /** The moto release the tests are written against (its EC2 Spot prices are fixed fakes). */
  public static final String VERSION = "5.2.5";

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Installs moto if needed and starts a server; stop it with {@link #close()}. */
  public static MotoServer start() {
    Path venv = installIfNeeded();
    Path logDir = Path.of("target", "moto").toAbsolutePath();
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = freePort();
      Path log = logDir.resolve("moto-server-" + port + ".log");
      Process process;
      try {
        process =
            new ProcessBuilder(
                    venv.resolve("bin/moto_server").toString(), "-H", "127.0.0.1", "-p", "" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start moto_server from " + venv, e);
      }
      MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-server-stop"));
      try {
        server.awaitUp();
        return server;
      } catch (IllegalStateException e) {
        server.close();
        last = e;
      }
    }
    throw last;
  }

  /** The endpoint URL every AWS service of the server answers on. */
  public URI endpoint() {
    return endpoint;
  }

  private void awaitUp() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ping =
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException(
        "moto_server did not answer within " + START_TIMEOUT + "; see " + log);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The venv holding moto[server]=={@link #VERSION}, installed from PyPI on first use. */
  static Path installIfNeeded() {
    String cacheDir = System.getenv("FLINKSPOT_CACHE_DIR");
    Path cache =
        cacheDir == null || cacheDir.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "flinkspot")
            : Path.of(cacheDir);
    Path venv = cache.resolve("moto-" + VERSION);
    Path marker = venv.resolve(".flinkspot-installed");
    try {
      Files.createDirectories(cache);
      try (FileChannel lockFile =
          FileChannel.open(
              cache.resolve("moto-" + VERSION + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        lockFile.lock(); // held until the channel closes: one installer per machine at a time
        if (Files.exists(marker) && Files.isExecutable(venv.resolve("bin/moto_server"))) {
          return venv;
        }
        String python = findPython();
        deleteTree(venv);
        Path logDir = Path.of("target", "moto").toAbsolutePath();
        Files.createDirectories(logDir);
        Path installLog = logDir.resolve("install.log");
        if (run(List.of(python, "-m", "venv", venv.toString()), installLog) != 0) {
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
                "moto[server]==" + VERSION);
        if (run(pip, installLog) != 0) {
          throw MissingComponent.skipOrFail(
              "moto[server]=="
                  + VERSION
                  + " from PyPI (pip install failed; see "
                  + installLog
                  + ")");
        }
        Files.writeString(marker, VERSION + "\n");
        return venv;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String findPython() {
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
        "python3 >= 3.9 on the PATH (to install moto[server]==" + VERSION + " from PyPI)");
  }

  private static int run(List<String> command, Path log) throws IOException {
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
      if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
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

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
