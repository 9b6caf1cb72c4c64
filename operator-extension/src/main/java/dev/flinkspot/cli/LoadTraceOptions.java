package dev.flinkspot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.trace.LoadTrace;
import dev.flinkspot.cost.trace.LoadTraceReader;
import dev.flinkspot.cost.trace.PolicyFile;
import dev.flinkspot.cost.trace.TraceComparison;
import dev.flinkspot.cost.trace.TraceReport;
import dev.flinkspot.cost.trace.TraceSettings;
import dev.flinkspot.cost.trace.TraceSimulation;
import dev.flinkspot.cost.workload.DefaultShapes;
import dev.flinkspot.cost.workload.FlinkWorkload;
import dev.flinkspot.scaling.ScaleTarget;
import dev.flinkspot.scaling.ScalingPolicy;
import dev.flinkspot.scaling.ScalingSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import picocli.CommandLine.Option;

/**
 * The options of {@code flinkspot cost FILE --load-trace TRACE}: both autoscalers simulated on a
 * load trace instead of a constant parallelism.
 */
final class LoadTraceOptions {
  private static final KubernetesSerialization KUBE = new KubernetesSerialization();

  @Option(
      names = "--load-trace",
      paramLabel = "TRACE",
      description =
          "Simulate MSF's autoscaling and flinkspot's HPA with Reactive Mode on this load trace,"
              + " and bill both per hour. TRACE is a CSV (timestamp,busy_vcpus or"
              + " timestamp,records_per_second) or a Prometheus query_range JSON export.")
  Path trace;

  @Option(
      names = "--slot-capacity",
      paramLabel = "RPS",
      description = "Records/s one slot processes on one vCPU at full CPU (records traces).")
  Double slotCapacity;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "FlinkSpotPolicy whose scaling section sets the HPA (default: 1 TaskManager to what the max parallelism fills, 65%% CPU).")
  Path policy;

  @Option(
      names = "--rescale-pause",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Processing pause per Reactive Mode rescale (default: 1.1s, measured on Flink"
              + " 1.20 by the job benchmark with flinkspot's 1s resource stabilization;"
              + " Flink 2.x pauses ~0.1s).")
  Duration rescalePause;

  @Option(
      names = "--msf-scaling-pause",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long MSF stops processing for one scaling operation; 10m by default, the low end"
              + " of the 10-20 minutes AWS reports for large state.")
  Duration msfScalingPause;

  @Option(
      names = "--node-launch-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Time from a node being wanted to pods running on it; 2m by default.")
  Duration nodeLaunch;

  @Option(
      names = "--node-release-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long an unneeded node stays (default: 10m).")
  Duration nodeRelease;

  @Option(
      names = "--msf-max-parallelism",
      paramLabel = "N",
      description = "MSF's ceiling (default: the job's max parallelism, within 64 KPUs).")
  Integer msfMaxParallelism;

  boolean given() {
    return trace != null;
  }

  /** The trace report of each deployment (or of the default shape when there is none). */
  String render(
      CostCommand.OutputFormat format,
      List<FlinkWorkload> workloads,
      List<FlinkDeployment> deployments,
      List<ClusterNodeGroups> groups,
      CostOptions options,
      RegionPriceView prices,
      List<String> skipped) {
    LoadTrace loadTrace =
        LoadTraceReader.read(
            trace, slotCapacity == null ? OptionalDouble.empty() : OptionalDouble.of(slotCapacity));
    TraceSettings defaults = TraceSettings.defaults();
    TraceSettings settings =
        new TraceSettings(
            rescalePause == null ? defaults.rescalePause() : rescalePause,
            msfScalingPause == null ? defaults.msfScalingPause() : msfScalingPause,
            nodeLaunch == null ? defaults.nodeLaunch() : nodeLaunch,
            nodeRelease == null ? defaults.nodeRelease() : nodeRelease,
            msfMaxParallelism == null ? 0 : msfMaxParallelism);
    ScalingPolicy fromFile = policy == null ? null : PolicyFile.scaling(policy);
    int spare = policy == null ? 0 : PolicyFile.spare(policy);
    List<TraceComparison> results = new ArrayList<>();
    for (int i = 0; i < workloads.size(); i++) {
      FlinkWorkload workload = workloads.get(i);
      ScaleTarget target =
          deployments.isEmpty()
              ? new ScaleTarget(
                  null, workload.name(), null, DefaultShapes.SLOTS_PER_TASK_MANAGER, 128)
              : ScaleTarget.of(KUBE.convertValue(deployments.get(i), JsonNode.class));
      ScalingPolicy scaling = fromFile == null ? defaultPolicy(target) : fromFile;
      TraceComparison result =
          TraceSimulation.run(
              loadTrace, workload, target, scaling, groups.get(i), options, prices, settings);
      results.add(spare == 0 ? result : result.withAssumption(sparesNotSimulated(spare)));
    }
    return switch (format) {
      case table -> TraceReport.table(results, skipped);
      case json -> TraceReport.json(results, skipped);
      case html -> TraceReport.html(results, skipped);
    };
  }

  /**
   * The policy keeps warm spares, which the trace simulation does not model: said, not guessed. The
   * live FlinkCostReport prices them (status.spares).
   */
  static String sparesNotSimulated(int spare) {
    return "warm spares: --policy sets taskManager.spare: "
        + spare
        + ", which this simulation does not model (neither their cost, "
        + spare
        + " TaskManager-sized placeholder pod(s) held on the TaskManager nodes at all times, nor"
        + " the replacements they speed up): the self-managed bill above excludes them; a running"
        + " deployment's FlinkCostReport prices them live (status.spares)";
  }

  private static ScalingPolicy defaultPolicy(ScaleTarget target) {
    ScalingPolicy.Result r =
        ScalingPolicy.from(
            new ScalingSpec(true, null, target.usableTaskManagers(), null, null, null, null, null));
    if (!r.valid()) {
      throw new UserInputException("--policy: give a FlinkSpotPolicy (" + r.invalidMessage() + ")");
    }
    return r.policy();
  }
}
