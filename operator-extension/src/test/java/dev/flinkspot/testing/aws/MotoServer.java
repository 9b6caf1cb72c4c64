package dev.flinkspot.testing.aws;

import dev.flinkspot.testing.PythonVenv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

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
    return PythonVenv.install("moto", "moto[server]", VERSION, "moto_server", INSTALL_TIMEOUT);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
