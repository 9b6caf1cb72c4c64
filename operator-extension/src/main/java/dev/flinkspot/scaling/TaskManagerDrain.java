package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * How a TaskManager leaves when a Spot node is drained: a preStop that holds the eviction's SIGTERM
 * until the checkpoint the controller triggers on the notice has completed, so that it completes
 * while the TaskManager still runs. NTH and Karpenter evict at once on the notice (NTH drains at
 * the interruption time minus {@code nodeTerminationGracePeriod}, 120 s by default: aws/aws-node-
 * termination-handler README and pkg/interruptionevent/draincordon/handler.go; Karpenter:
 * aws/karpenter-provider-aws website/content/en/docs/concepts/disruption.md), and Flink 1.20
 * answers the SIGTERM by leaving the cluster at once, which aborts a checkpoint still in flight:
 * measured on the job harness (job/.../RecoveryBenchmark case d0, README "Spot interruption
 * notices").
 *
 * <p>Written into {@code spec.taskManager.podTemplate} on the container the Flink image's
 * Kubernetes decorators take as the main container ({@code flink-main-container}), only when no
 * preStop is set there and adding it is safe: the Flink operator merges the top and the TaskManager
 * pod template arrays by position unless {@code
 * kubernetes.operator.pod-template.merge-arrays-by-name} is on, so with a {@code containers} array
 * in the top template nothing is added. Pure. Also written by {@code flinkspot plan}'s
 * FlinkDeployment ({@code PlanManifests}).
 *
 * <p>A preStop set by an earlier flinkspot (the fixed {@code sleep 5}) is left as it is, like any
 * other preStop: it cannot be told from a user's own, and replacing it on an update would turn a
 * rescale or a metadata write into a pod template change, so a job restart. Removing it lets the
 * next update add this one.
 */
public final class TaskManagerDrain {

  /**
   * The preStop's fallback, seconds between the eviction and the SIGTERM when the JobManager's REST
   * API does not answer (the image has no curl, a NetworkPolicy blocks the TaskManager, no job
   * runs): the former fixed delay, measured by the job module's RecoveryBenchmark (case d; 5 s
   * replayed ~1,550 records, 3 s ~540, at 500 records/s, while a checkpoint that outlasts it is
   * lost). The script also waits at least 2 s (the controller's trigger follows a watch event,
   * under a second) and at most 20 s, well inside Kubernetes' default terminationGracePeriodSeconds
   * of 30 s, which also covers the TaskManager's exit on SIGTERM (under 1 s measured), and inside
   * the 2-minute Spot notice; so the grace period is left at its default.
   */
  public static final int PRE_STOP_SECONDS = 5;

  /** The longest the preStop waits for the checkpoint to complete, in seconds (the script's). */
  public static final int PRE_STOP_MAX_SECONDS = 20;

  /**
   * The preStop script ({@code taskmanager-prestop.sh} next to this class), POSIX {@code sh} run
   * with the JobManager REST base URL as {@code $1}. It needs {@code curl}, which the Flink images
   * have: they build on eclipse-temurin's Ubuntu images, which install curl "for historical
   * reasons" (adoptium/containers 17/jre/ubuntu/jammy/Dockerfile; adoptium/containers#255); without
   * it the script waits the fallback 5 s.
   */
  static final String PRE_STOP_SCRIPT = script();

  /** {@code $0} of the script: names it in {@code ps} and in kubelet's FailedPreStopHook events. */
  static final String SCRIPT_NAME = "flinkspot-prestop";

  /** The main container's name in a Flink pod template (Flink's {@code Constants}). */
  static final String MAIN_CONTAINER = "flink-main-container";

  private TaskManagerDrain() {}

  /**
   * The preStop's exec command for a deployment whose JobManager REST API answers at {@code
   * restBase} ({@code JobManagerAddress}): {@code sh -c <script> flinkspot-prestop <restBase>}.
   */
  public static List<String> preStopCommand(URI restBase) {
    return List.of("sh", "-c", PRE_STOP_SCRIPT, SCRIPT_NAME, restBase.toString());
  }

  /**
   * Adds the preStop, waiting on the JobManager at {@code restBase}, to {@code spec} (a copy,
   * mutated) where the deployment sets none; returns the setting added as {@code path=value}, or
   * empty.
   */
  public static Optional<String> apply(ObjectNode spec, URI restBase) {
    JsonNode topContainers = spec.path("podTemplate").path("spec").path("containers");
    JsonNode tmContainers =
        spec.path("taskManager").path("podTemplate").path("spec").path("containers");
    if (hasPreStop(topContainers) || hasPreStop(tmContainers)) {
      return Optional.empty();
    }
    if (topContainers.isArray() && !topContainers.isEmpty()) {
      return Optional.empty(); // merged by position: ours could land on another container
    }
    if (!tmContainers.isMissingNode() && !tmContainers.isArray()) {
      return Optional.empty(); // not a list: the operator will reject it; leave it to the user
    }
    ObjectNode podSpec =
        Json.object(Json.object(Json.object(spec, "taskManager"), "podTemplate"), "spec");
    ArrayNode containers =
        podSpec.get("containers") instanceof ArrayNode a ? a : podSpec.putArray("containers");
    ObjectNode main = null;
    for (JsonNode c : containers) {
      if (c instanceof ObjectNode o && MAIN_CONTAINER.equals(c.path("name").asText())) {
        main = o;
      }
    }
    if (main == null) {
      main = containers.addObject().put("name", MAIN_CONTAINER);
    }
    ArrayNode command =
        Json.object(Json.object(Json.object(main, "lifecycle"), "preStop"), "exec")
            .putArray("command");
    preStopCommand(restBase).forEach(command::add);
    return Optional.of(
        "spec.taskManager.podTemplate.spec.containers["
            + MAIN_CONTAINER
            + "].lifecycle.preStop="
            + SCRIPT_NAME
            + " "
            + restBase);
  }

  private static boolean hasPreStop(JsonNode containers) {
    for (JsonNode c : containers) {
      if (MAIN_CONTAINER.equals(c.path("name").asText())
          && !c.path("lifecycle").path("preStop").isMissingNode()) {
        return true;
      }
    }
    return false;
  }

  private static String script() {
    try (InputStream in = TaskManagerDrain.class.getResourceAsStream("taskmanager-prestop.sh")) {
      if (in == null) {
        throw new IllegalStateException("taskmanager-prestop.sh is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
