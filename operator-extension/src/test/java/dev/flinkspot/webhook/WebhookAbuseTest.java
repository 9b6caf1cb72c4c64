package dev.flinkspot.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse of the real {@link WebhookServer}, run in a child JVM with a 64 MiB heap that exits on
 * OutOfMemoryError: bodies of hundreds of MB with and without Content-Length, several at once, more
 * connections than the cap. After each, the server must still be up and answer a real
 * AdmissionReview. Prints the child's peak heap.
 */
class WebhookAbuseTest {
  // Six 120 MB bodies against a 24 MiB body budget: a heap this small proves the bodies are never
  // held whole. 64 MiB left too little headroom for the buffers in flight on a loaded machine.
  private static final String HEAP = "-Xmx128m";
  private static final long MB = 1024 * 1024;

  @TempDir static Path dir;
  private static WebhookCertificate certificate;
  private static Process child;
  private static int port;

  @BeforeAll
  static void startChild() throws Exception {
    certificate =
        WebhookCertificate.generate("flinkspot-webhook", "flinkspot-system", Instant.now());
    Files.writeString(dir.resolve("ca.pem"), certificate.caPem());
    Files.writeString(dir.resolve("ca-key.pem"), certificate.caKeyPem());
    Files.writeString(dir.resolve("cert.pem"), certificate.certPem());
    Files.writeString(dir.resolve("key.pem"), certificate.keyPem());
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                WebhookServerChild.class.getName(),
                dir.toString())
            .redirectError(dir.resolve("child.log").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line =
        CompletableFuture.supplyAsync(() -> lineStarting(out, "port ")).get(60, TimeUnit.SECONDS);
    assertThat(line).as("child log: %s", dir.resolve("child.log")).startsWith("port ");
    port = Integer.parseInt(line.substring(5));
  }

  @AfterAll
  static void stopChild() throws Exception {
    if (child == null) {
      return;
    }
    if (child.isAlive()) {
      child.getOutputStream().write("peak\n".getBytes(StandardCharsets.US_ASCII));
      child.getOutputStream().flush();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      System.out.printf(
          "webhook abuse: child %s, peak heap used (sampled every 20 ms) %s MiB%n",
          HEAP, Long.parseLong(lineStarting(out, "peak ").substring(5)) / MB);
      child.getOutputStream().close();
    }
    child.waitFor(10, TimeUnit.SECONDS);
    child.destroyForcibly();
  }

  @AfterEach
  void stillServesARealReview() throws Exception {
    assertThat(child.isAlive()).as("webhook JVM alive (no OutOfMemoryError)").isTrue();
    HttpResponse<String> response = WebhookServerTest.postStockTickerReview(certificate, port);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"allowed\":true");
  }

  @Test
  void aDeclaredOversizedBodyIsRefusedBeforeItIsSent() throws Exception {
    try (SSLSocket socket = connect()) {
      socket.getOutputStream().write(headers("Content-Length: " + 300 * MB));
      socket.getOutputStream().flush();

      assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void aChunkedOversizedBodyIsCutOffAtTheCap() throws Exception {
    long sent = sendChunked(300 * MB);

    assertThat(sent).as("bytes the server took before closing").isLessThan(32 * MB);
  }

  @Test
  void sixConcurrentOversizedBodiesAreAllCutOff() throws Exception {
    var pool = Executors.newFixedThreadPool(6);
    try {
      List<CompletableFuture<Long>> sends = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        sends.add(CompletableFuture.supplyAsync(() -> sendChunkedUnchecked(120 * MB), pool));
      }
      for (var send : sends) {
        assertThat(send.get(120, TimeUnit.SECONDS)).isLessThan(32 * MB);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void slowBodiesTimeOutAndPiledUpBodiesFindTheBudgetFull() throws Exception {
    // Ten bodies of 2.5 MB each, all under the cap, none finished: 25 MB buffered would exceed
    // the 24 MiB budget, so one at least is refused at once (503); the rest wait for their
    // end until the deadline (408).
    List<SSLSocket> sockets = new ArrayList<>();
    byte[] part = new byte[(int) (2.5 * MB)];
    java.util.Arrays.fill(part, (byte) ' ');
    try {
      for (int i = 0; i < 10; i++) {
        SSLSocket socket = connect();
        sockets.add(socket);
        try {
          socket.getOutputStream().write(headers("Content-Length: " + 3_000_000));
          socket.getOutputStream().write(part);
          socket.getOutputStream().flush();
        } catch (IOException refused) {
          // the budget was full: the server answered and closed
        }
      }
      List<String> statuses = new ArrayList<>();
      for (SSLSocket socket : sockets) {
        socket.setSoTimeout(30_000);
        statuses.add(statusLine(socket));
      }
      assertThat(statuses).anyMatch(s -> s.startsWith("HTTP/1.1 503"));
      assertThat(statuses).anyMatch(s -> s.startsWith("HTTP/1.1 408"));
      assertThat(statuses)
          .allMatch(s -> s.startsWith("HTTP/1.1 503") || s.startsWith("HTTP/1.1 408"));
    } finally {
      for (SSLSocket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosed() throws Exception {
    int cap = WebhookServer.Limits.DEFAULT.maxConnections();
    List<SSLSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < cap + 20; i++) {
        sockets.add(connect());
      }
      Thread.sleep(1000); // the server closes the extra ones right after their handshake
      int closed = 0;
      for (SSLSocket socket : sockets) {
        socket.setSoTimeout(20);
        try {
          if (socket.getInputStream().read() < 0) {
            closed++;
          }
        } catch (SocketTimeoutException open) {
          // still open
        } catch (IOException reset) {
          closed++;
        }
      }
      assertThat(closed).as("connections closed of %d", sockets.size()).isGreaterThanOrEqualTo(20);
    } finally {
      for (SSLSocket socket : sockets) {
        socket.close();
      }
    }
    Thread.sleep(500); // the server counts the closes on its event loops
  }

  private static long sendChunkedUnchecked(long total) {
    try {
      return sendChunked(total);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends up to {@code total} bytes as 64 KiB chunks; how many got out before the server hung up.
   */
  private static long sendChunked(long total) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    long sent = 0;
    try (SSLSocket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(headers("Transfer-Encoding: chunked"));
      while (sent < total) {
        out.write(size);
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        sent += chunk.length;
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException hungUp) {
      return sent;
    }
    return sent;
  }

  private static byte[] headers(String framing) {
    return ("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + framing
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String statusLine(SSLSocket socket) throws IOException {
    if (socket.getSoTimeout() == 0) {
      socket.setSoTimeout(10_000);
    }
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
      line.append((char) c);
    }
    return line.toString();
  }

  private static SSLSocket connect() throws IOException {
    SSLSocket socket = rawSocket();
    socket.startHandshake();
    return socket;
  }

  private static SSLSocket rawSocket() throws IOException {
    try {
      return (SSLSocket)
          certificate.trustingContext().getSocketFactory().createSocket("127.0.0.1", port);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** The first line with {@code prefix} (the child's log shares its standard output). */
  private static String lineStarting(BufferedReader reader, String prefix) {
    try {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      return "(no " + prefix + "line)";
    } catch (IOException e) {
      return "error " + e;
    }
  }
}
