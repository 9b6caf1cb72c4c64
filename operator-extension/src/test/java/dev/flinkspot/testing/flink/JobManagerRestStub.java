package dev.flinkspot.testing.flink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server answering the three JobManager REST calls of a checkpoint the way Flink 1.20
 * answers them (flink-runtime {@code CheckpointHandlers}, {@code JobsOverviewHandler}), counting
 * the triggers it receives. For the client's unit tests and for counting triggers per deployment on
 * the real API server. The fields it answers are the ones a real Flink 1.20 JobManager answers in
 * the job module's {@code CheckpointOnNoticeContractIT}.
 */
public final class JobManagerRestStub implements AutoCloseable {

  /** What the stub answers. */
  public enum Mode {
    /** One RUNNING job; the checkpoint is IN_PROGRESS once, then COMPLETED. */
    COMPLETES,
    /** The checkpoint completes with a failure cause. */
    FAILS,
    /** The job is RESTARTING. */
    NOT_RUNNING,
    /** The status stays IN_PROGRESS. */
    NEVER_DONE,
    /** The overview is larger than the client's cap. */
    HUGE,
    /** Flink before 1.17: the trigger endpoint does not exist. */
    NO_TRIGGER_ENDPOINT
  }

  public static final String JOB_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

  private final HttpServer server;
  private final AtomicInteger triggers = new AtomicInteger();
  private final AtomicInteger polls = new AtomicInteger();
  private volatile Mode mode;

  public JobManagerRestStub(Mode mode) throws IOException {
    this.mode = mode;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** POSTs to the checkpoint trigger endpoint received so far. */
  public int triggers() {
    return triggers.get();
  }

  public void mode(Mode next) {
    this.mode = next;
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    String jobs = "/jobs/" + JOB_ID + "/checkpoints";
    if (method.equals("GET") && path.equals("/jobs/overview")) {
      if (mode == Mode.HUGE) {
        answer(x, 200, "{\"jobs\":[],\"pad\":\"" + "x".repeat(2 << 20) + "\"}");
      } else {
        String state = mode == Mode.NOT_RUNNING ? "RESTARTING" : "RUNNING";
        answer(
            x,
            200,
            "{\"jobs\":[{\"jid\":\""
                + JOB_ID
                + "\",\"name\":\"ticker\",\"state\":\""
                + state
                + "\"}]}");
      }
    } else if (method.equals("POST") && path.equals(jobs) && mode != Mode.NO_TRIGGER_ENDPOINT) {
      x.getRequestBody().readAllBytes();
      int n = triggers.incrementAndGet();
      answer(x, 202, "{\"request-id\":\"trigger-" + n + "\"}");
    } else if (method.equals("GET") && path.startsWith(jobs + "/trigger-")) {
      int n = polls.incrementAndGet();
      if (mode == Mode.NEVER_DONE || n % 2 == 1) {
        answer(x, 200, "{\"status\":{\"id\":\"IN_PROGRESS\"}}");
      } else if (mode == Mode.FAILS) {
        answer(
            x,
            200,
            "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failureCause\":{\"class\":"
                + "\"org.apache.flink.runtime.checkpoint.CheckpointException\",\"stack-trace\":"
                + "\"org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint expired"
                + " before completing.\\n\\tat ...\"}}}");
      } else {
        answer(
            x,
            200,
            "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"checkpointId\":"
                + (40 + triggers.get())
                + "}}");
      }
    } else {
      answer(x, 404, "{\"errors\":[\"Not found: " + path + "\"]}");
    }
  }

  private static void answer(HttpExchange x, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(code, bytes.length);
    try (var out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
