package dev.flinkspot.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.Json;
import dev.flinkspot.flink.CheckpointOutcome.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CheckpointTrigger} over Flink's REST API (flink-runtime {@code
 * rest/handler/job/checkpoints/CheckpointHandlers.java}, since Flink 1.17, FLINK-27101):
 *
 * <ol>
 *   <li>{@code GET /jobs/overview}: the one job in state RUNNING;
 *   <li>{@code POST /jobs/<id>/checkpoints} with {@code {"checkpointType":"CONFIGURED"}} (the job's
 *       own incremental or full setting; a manual trigger skips {@code min-pause} but queues behind
 *       a running checkpoint) answers {@code {"request-id": ...}};
 *   <li>{@code GET /jobs/<id>/checkpoints/<request-id>} every {@code poll} until {@code status.id}
 *       is COMPLETED: then {@code operation.checkpointId}, or {@code operation.failureCause} when
 *       it failed (flink-runtime {@code rest/messages/checkpoints/CheckpointInfo.java}).
 * </ol>
 *
 * The same on Flink 2.x: flink-runtime 2.2.1 has the same handlers and field names ({@code
 * JobDetails}, {@code TriggerResponse}, {@code AsynchronousOperationResult}, {@code
 * CheckpointInfo}, {@code SerializedThrowableSerializer}) and refuses only {@code INCREMENTAL}
 * (FLINK-33723), not CONFIGURED; job-flink2's CheckpointOnNoticeContractIT and e2e-flink2's
 * SpotNoticeEndToEndIT run this against a real Flink 2.2 JobManager.
 *
 * <p>Not the operator's FlinkStateSnapshot or {@code checkpointTriggerNonce}: both take FULL
 * checkpoints, are looked at only every reconcile interval (60 s), and the nonce is a spec write.
 * Every request has a connect and a response timeout within the overall deadline, and every body is
 * read up to {@link #MAX_BODY_BYTES}.
 */
public final class RestCheckpointTrigger implements CheckpointTrigger {

  /** Larger than any answer of these three endpoints (a failure cause carries a stack trace). */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private static final String CONFIGURED = "{\"checkpointType\":\"CONFIGURED\"}";

  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration poll;

  /**
   * @param connectTimeout per connection
   * @param requestTimeout per request, until the response headers arrive
   * @param poll between two status requests
   */
  public RestCheckpointTrigger(Duration connectTimeout, Duration requestTimeout, Duration poll) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.requestTimeout = requestTimeout;
    this.poll = poll;
  }

  /** 2 s to connect, 5 s per request, a status poll every second. */
  public static RestCheckpointTrigger defaults() {
    return new RestCheckpointTrigger(
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  @Override
  public CheckpointOutcome checkpoint(URI restBase, Duration deadline) {
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    String jobId = null;
    try {
      jobId = runningJob(get(restBase.resolve("/jobs/overview"), end));
      String trigger =
          text(
              send(
                  HttpRequest.newBuilder(restBase.resolve("/jobs/" + jobId + "/checkpoints"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(CONFIGURED)),
                  end),
              "request-id");
      URI status = restBase.resolve("/jobs/" + jobId + "/checkpoints/" + trigger);
      while (true) {
        JsonNode answer = get(status, end);
        if ("COMPLETED".equals(answer.path("status").path("id").asText())) {
          JsonNode operation = answer.path("operation");
          // CheckpointInfo names it "failureCause" (savepoints' SavepointInfo: "failure-cause").
          if (operation.hasNonNull("failureCause")) {
            return CheckpointOutcome.failed(
                Result.FAILED, jobId, since(start), cause(operation.get("failureCause")));
          }
          long id = operation.path("checkpointId").asLong(-1);
          return new CheckpointOutcome(Result.COMPLETED, jobId, id, since(start), null);
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new Failure(Result.TIMED_OUT, "checkpoint still in progress at the deadline");
        }
        Thread.sleep(Math.min(poll.toMillis(), Math.max(1, left / 1_000_000)));
      }
    } catch (Failure f) {
      return CheckpointOutcome.failed(f.result, jobId, since(start), f.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckpointOutcome.failed(Result.TIMED_OUT, jobId, since(start), "interrupted");
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private JsonNode get(URI uri, long end) throws InterruptedException {
    return send(HttpRequest.newBuilder(uri).GET(), end);
  }

  /** One request within what is left of the deadline; its body as JSON, at most the cap. */
  private JsonNode send(HttpRequest.Builder request, long end) throws InterruptedException {
    long left = end - System.nanoTime();
    if (left <= 0) {
      throw new Failure(Result.TIMED_OUT, "deadline passed");
    }
    Duration timeout = Duration.ofNanos(Math.min(requestTimeout.toNanos(), left));
    HttpRequest built = request.timeout(timeout).header("Accept", "application/json").build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      // Cut by the overall deadline rather than by the per-request timeout: out of time.
      throw new Failure(
          timeout.compareTo(requestTimeout) < 0 ? Result.TIMED_OUT : Result.UNREACHABLE,
          built.method() + " " + built.uri() + ": no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new Failure(Result.UNREACHABLE, built.method() + " " + built.uri() + ": " + e);
    }
    byte[] body;
    try (InputStream in = response.body()) {
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > MAX_BODY_BYTES) {
        throw tooLarge(built);
      }
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      throw new Failure(Result.UNREACHABLE, built.method() + " " + built.uri() + ": " + e);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw tooLarge(built);
    }
    int code = response.statusCode();
    if (code / 100 != 2) {
      String head = new String(body, 0, Math.min(body.length, 200)).replaceAll("\\s+", " ");
      throw new Failure(
          Result.BAD_RESPONSE, built.method() + " " + built.uri() + ": HTTP " + code + " " + head);
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new Failure(
          Result.BAD_RESPONSE, built.method() + " " + built.uri() + ": not JSON (" + e + ")");
    }
  }

  private static Failure tooLarge(HttpRequest request) {
    return new Failure(
        Result.BAD_RESPONSE,
        request.method()
            + " "
            + request.uri()
            + ": answer larger than "
            + MAX_BODY_BYTES
            + " bytes");
  }

  /** The one RUNNING job's id; a session cluster with several running jobs is refused. */
  static String runningJob(JsonNode overview) {
    List<String> running = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (JsonNode job : overview.path("jobs")) {
      String state = job.path("state").asText();
      states.add(state);
      if ("RUNNING".equals(state)) {
        running.add(job.path("jid").asText());
      }
    }
    if (running.size() == 1) {
      if (!running.get(0).matches("[0-9a-fA-F]{32}")) {
        throw new Failure(Result.BAD_RESPONSE, "job id is not a Flink JobID: " + running.get(0));
      }
      return running.get(0);
    }
    if (running.isEmpty()) {
      throw new Failure(
          Result.NO_RUNNING_JOB,
          states.isEmpty() ? "no job submitted" : "no job RUNNING (jobs are " + states + ")");
    }
    throw new Failure(
        Result.NO_RUNNING_JOB, running.size() + " jobs RUNNING: not an application cluster");
  }

  private static String text(JsonNode node, String field) {
    String value = node.path(field).asText("");
    if (value.isBlank() || !value.matches("[A-Za-z0-9-]{1,64}")) {
      throw new Failure(Result.BAD_RESPONSE, "no " + field + " in the answer");
    }
    return value;
  }

  /** Flink's SerializedThrowable as JSON: its class and the first line of its stack trace. */
  private static String cause(JsonNode failure) {
    String trace = failure.path("stack-trace").asText("");
    String first = trace.lines().findFirst().orElse(failure.path("class").asText("unknown"));
    return first.length() > 300 ? first.substring(0, 297) + "..." : first;
  }

  /** A failed step, with the outcome it stands for. */
  private static final class Failure extends RuntimeException {
    final Result result;

    Failure(Result result, String message) {
      super(message, null, false, false);
      this.result = result;
    }
  }
}
