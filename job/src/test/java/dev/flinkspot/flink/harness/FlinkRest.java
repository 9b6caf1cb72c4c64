package dev.flinkspot.flink.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A small client of the JobManager's REST API: what the tests (and later the controller's
 * interruption handling) read and trigger. Only the fields the harness needs are mapped.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public FlinkRest(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** One job vertex: its name, parallelism, and how many of its subtasks are in each state. */
  public record Vertex(String name, int parallelism, String status, Map<String, Integer> tasks) {
    /** Whether every subtask is RUNNING or (a source with no split left) FINISHED. */
    public boolean allTasksUp() {
      return tasks.entrySet().stream()
          .allMatch(
              e ->
                  e.getValue() == 0
                      || e.getKey().equals("RUNNING")
                      || e.getKey().equals("FINISHED"));
    }
  }

  /**
   * {@code GET /jobs/{id}}: the job's state, when its current execution last switched to RUNNING
   * (epoch ms, 0 if never; a restart or rescale starts a new execution), and its vertices.
   */
  public record JobDetails(String state, long runningSince, List<Vertex> vertices) {
    /** The parallelism the vertices share (Reactive Mode gives them all the same), or -1. */
    public int parallelism() {
      return vertices.stream().mapToInt(Vertex::parallelism).distinct().count() == 1
          ? vertices.get(0).parallelism()
          : -1;
    }

    /** RUNNING, and every subtask of every vertex deployed and running (or finished). */
    public boolean fullyRunning() {
      return state.equals("RUNNING") && vertices.stream().allMatch(Vertex::allTasksUp);
    }
  }

  /** The latest completed checkpoint ({@code id} -1 if none) and the counts. */
  public record CheckpointStats(
      long completed,
      long failed,
      long latestCompletedId,
      long latestCompletedTriggerTime,
      long latestRestoredId) {}

  public JobDetails job(String jobId) {
    JsonNode n = get("/jobs/" + jobId);
    List<Vertex> vertices = new ArrayList<>();
    for (JsonNode v : n.path("vertices")) {
      Map<String, Integer> tasks = new LinkedHashMap<>();
      v.path("tasks").fields().forEachRemaining(e -> tasks.put(e.getKey(), e.getValue().asInt()));
      vertices.add(
          new Vertex(
              v.path("name").asText(),
              v.path("parallelism").asInt(),
              v.path("status").asText(),
              tasks));
    }
    long runningSince = Math.max(0, n.path("timestamps").path("RUNNING").asLong(0));
    return new JobDetails(n.path("state").asText(), runningSince, vertices);
  }

  /**
   * The job's {@code numRestarts} metric: failovers and, under the adaptive scheduler, rescales
   * too. Empty until the JobManager's metric fetcher has seen it.
   */
  public OptionalLong numRestarts(String jobId) {
    for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      if (m.path("id").asText().equals("numRestarts")) {
        return OptionalLong.of(Long.parseLong(m.path("value").asText()));
      }
    }
    return OptionalLong.empty();
  }

  public CheckpointStats checkpoints(String jobId) {
    JsonNode n = get("/jobs/" + jobId + "/checkpoints");
    JsonNode latest = n.path("latest");
    JsonNode completed = latest.path("completed");
    JsonNode restored = latest.path("restored");
    return new CheckpointStats(
        n.path("counts").path("completed").asLong(),
        n.path("counts").path("failed").asLong(),
        completed.isObject() ? completed.path("id").asLong() : -1,
        completed.isObject() ? completed.path("trigger_timestamp").asLong() : -1,
        restored.isObject() ? restored.path("id").asLong() : -1);
  }

  /** {@code POST /jobs/{id}/checkpoints}: triggers a checkpoint now; returns the trigger id. */
  public String triggerCheckpoint(String jobId) {
    return post("/jobs/" + jobId + "/checkpoints", "{}").path("request-id").asText();
  }

  /**
   * The outcome of a triggered checkpoint: the id once it completed, empty while in progress;
   * throws if it failed.
   */
  public OptionalLong checkpointResult(String jobId, String triggerId) {
    JsonNode n = get("/jobs/" + jobId + "/checkpoints/" + triggerId);
    if (!n.path("status").path("id").asText().equals("COMPLETED")) {
      return OptionalLong.empty();
    }
    JsonNode op = n.path("operation");
    if (op.hasNonNull("failureCause")) {
      throw new IllegalStateException("checkpoint " + triggerId + " failed: " + op);
    }
    return OptionalLong.of(op.path("checkpointId").asLong());
  }

  /**
   * {@code POST /jobs/{id}/checkpoints} with {@code {"checkpointType":"CONFIGURED"}}, as the
   * controller's checkpoint on a Spot notice sends it (Flink 1.17+); returns the trigger id.
   */
  public String triggerConfiguredCheckpoint(String jobId) {
    return post("/jobs/" + jobId + "/checkpoints", "{\"checkpointType\":\"CONFIGURED\"}")
        .path("request-id")
        .asText();
  }

  /**
   * {@code POST /jobs/{id}/stop} (stop with savepoint, no drain) into {@code targetDirectory};
   * returns the trigger id for {@link #savepointLocation}.
   */
  public String stopWithSavepoint(String jobId, String targetDirectory) {
    String body =
        JSON.createObjectNode()
            .put("targetDirectory", targetDirectory)
            .put("drain", false)
            .toString();
    return post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
  }

  /**
   * {@code GET /jobs/{id}/savepoints/{trigger}}: the savepoint's location once it completed, empty
   * while in progress; throws if it failed.
   */
  public Optional<String> savepointLocation(String jobId, String triggerId) {
    JsonNode n = get("/jobs/" + jobId + "/savepoints/" + triggerId);
    if (!n.path("status").path("id").asText().equals("COMPLETED")) {
      return Optional.empty();
    }
    JsonNode op = n.path("operation");
    if (op.hasNonNull("failure-cause") || !op.hasNonNull("location")) {
      throw new IllegalStateException("savepoint " + triggerId + " failed: " + op);
    }
    return Optional.of(op.path("location").asText());
  }

  /** Triggers a checkpoint and waits until it completed; returns its id. */
  public long checkpointNow(String jobId, Duration timeout) {
    String trigger = triggerCheckpoint(jobId);
    return Await.until(
        "checkpoint " + trigger + " of job " + jobId,
        timeout,
        () -> {
          OptionalLong id = checkpointResult(jobId, trigger);
          return id.isPresent() ? Optional.of(id.getAsLong()) : Optional.empty();
        });
  }

  /** The resource ids of the TaskManagers registered with the ResourceManager. */
  public List<String> taskManagerIds() {
    List<String> ids = new ArrayList<>();
    for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
      ids.add(tm.path("id").asText());
    }
    return ids;
  }

  /** The state of a job, or empty if the JobManager does not know it (yet). */
  public Optional<String> jobState(String jobId) {
    try {
      return Optional.of(job(jobId).state());
    } catch (RestException e) {
      return Optional.empty();
    }
  }

  /** A non-2xx answer. */
  public static final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RestException(String message) {
      super(message);
    }
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public JsonNode post(String path, String json) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /**
   * Sets every vertex's upper parallelism bound through FLIP-291's {@code PUT
   * /jobs/:jobid/resource-requirements} (Flink 1.18+; the adaptive scheduler without Reactive Mode:
   * AdaptiveScheduler#updateJobResourceRequirements rejects Reactive Mode, apache/flink
   * release-1.20.0 flink-runtime/.../scheduler/adaptive/AdaptiveScheduler.java). The lower bounds
   * stay as the JobManager reports them.
   */
  public void setUpperParallelism(String jobId, int upperBound) {
    String path = "/jobs/" + jobId + "/resource-requirements";
    JsonNode requirements = get(path);
    requirements.forEach(
        v ->
            ((com.fasterxml.jackson.databind.node.ObjectNode) v.get("parallelism"))
                .put("upperBound", upperBound));
    send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(requirements.toString())));
  }

  private static String abbreviate(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpRequest r = request.timeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new RestException(
            r.method()
                + " "
                + r.uri()
                + " -> "
                + response.statusCode()
                + " "
                + abbreviate(response.body()));
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(r.method() + " " + r.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
