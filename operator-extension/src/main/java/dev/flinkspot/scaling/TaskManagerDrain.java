package dev.flinkspot.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Json;
import java.util.Optional;

/**
 * How a TaskManager leaves when a Spot node is drained: a preStop delay before the eviction's
 * SIGTERM, so that the checkpoint the controller triggers on the notice completes while the
 * TaskManager still runs. NTH and Karpenter evict at once on the notice (NTH drains at the
 * interruption time minus {@code nodeTerminationGracePeriod}, 120 s by default: aws/aws-node-
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
 */
public final class TaskManagerDrain {

  /**
   * Seconds between the eviction and the SIGTERM. Long enough for the controller to see the taint
   * (a watch event, under a second) and for a small incremental checkpoint (0.3 s on the harness);
   * short, because every second of it is replayed after the restart (the checkpoint's barrier
   * passed before it). Kept well inside Kubernetes' default terminationGracePeriodSeconds of 30 s,
   * which also covers the TaskManager's exit on SIGTERM (under 1 s measured), and the 2-minute Spot
   * notice; so the grace period is left at its default. Measured by the job module's
   * RecoveryBenchmark (case d): 5 s replayed ~1,550 records, 3 s ~540, at 500 records/s; 5 s is
   * kept, because a checkpoint that outlasts the delay is lost and the restart replays everything
   * since the last periodic one, while each second of delay replays one second of input.
   */
  public static final int PRE_STOP_SECONDS = 5;

  /** The main container's name in a Flink pod template (Flink's {@code Constants}). */
  static final String MAIN_CONTAINER = "flink-main-container";

  private TaskManagerDrain() {}

  /**
   * Adds the preStop to {@code spec} (a copy, mutated) where the deployment sets none; returns the
   * setting added as {@code path=value}, or empty.
   */
  public static Optional<String> apply(ObjectNode spec) {
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
    Json.object(Json.object(Json.object(main, "lifecycle"), "preStop"), "exec")
        .putArray("command")
        .add("sleep")
        .add(Integer.toString(PRE_STOP_SECONDS));
    return Optional.of(
        "spec.taskManager.podTemplate.spec.containers["
            + MAIN_CONTAINER
            + "].lifecycle.preStop=sleep "
            + PRE_STOP_SECONDS);
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
}
