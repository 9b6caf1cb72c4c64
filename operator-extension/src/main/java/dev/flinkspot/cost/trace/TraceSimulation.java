package dev.flinkspot.cost.trace;

import dev.flinkspot.common.UserInputException;
import dev.flinkspot.cost.CostOptions;
import dev.flinkspot.cost.ManagedFlinkBill;
import dev.flinkspot.cost.SelfManagedBill;
import dev.flinkspot.cost.catalog.RegionPriceView;
import dev.flinkspot.cost.nodes.ClusterNodeGroups;
import dev.flinkspot.cost.workload.FlinkWorkload;
import dev.flinkspot.scaling.HpaSpecs;
import dev.flinkspot.scaling.ReactiveDefaults;
import dev.flinkspot.scaling.ScaleTarget;
import dev.flinkspot.scaling.ScalingPolicy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Both autoscalers on one load trace, in one clock, priced by the production cost engine: MSF's KPU
 * bill ({@link ManagedFlinkBill}) at each parallelism its autoscaling reaches, and the self-managed
 * bill ({@link SelfManagedBill}: node packing, Spot TaskManager nodes, On-Demand JobManagers,
 * control plane, volumes, checkpoints) at each TaskManager count the HPA that {@link HpaSpecs}
 * writes reaches. Pure: no I/O.
 */
public final class TraceSimulation {
  /** At most this many points per chart line. */
  static final int TIMELINE_POINTS = 1500;

  private TraceSimulation() {}

  public static TraceComparison run(
      LoadTrace trace,
      FlinkWorkload workload,
      ScaleTarget target,
      ScalingPolicy policy,
      ClusterNodeGroups groups,
      CostOptions options,
      RegionPriceView prices,
      TraceSettings settings) {
    if (!policy.enabled()) {
      throw new UserInputException(
          "--policy: its scaling section is off or missing: give a FlinkSpotPolicy with scaling"
              + " (e.g. k8s/flink/spot-taskmanagers-policy.yaml)");
    }
    CostOptions perHour = options.withHours(BigDecimal.ONE);
    long duration = trace.durationSeconds();
    long step = timelineStep(duration);
    List<String> assumptions = new ArrayList<>();

    int ppk = options.parallelismPerKpu();
    int msfMax =
        settings.msfMaxParallelism() > 0
            ? settings.msfMaxParallelism()
            : Math.min(target.maxParallelism(), ManagedFlinkBill.DEFAULT_KPU_QUOTA * ppk);
    int msfStart = workload.parallelism();
    if (msfMax < msfStart) {
      assumptions.add(
          "MSF: max parallelism "
              + msfMax
              + " is below the starting parallelism; it never scales up");
      msfMax = msfStart;
    }
    Map<Integer, BigDecimal> msfRates = new HashMap<>();
    SideResult managed =
        ManagedFlinkAutoscaling.simulate(
            trace,
            new ManagedFlinkAutoscaling.Rules(
                msfStart, ppk, msfMax, settings.msfScalingPause().toSeconds()),
            p ->
                msfRates.computeIfAbsent(
                    p, q -> ManagedFlinkBill.forParallelism(q, perHour, prices).bill().totalUsd()),
            HorizontalPodAutoscalerModel.SYNC_PERIOD_SECONDS,
            step);

    HorizontalPodAutoscalerModel hpa =
        new HorizontalPodAutoscalerModel(HpaSpecs.desired(target, policy).hpa());
    Map<Integer, SelfManagedBill> selfBills = new HashMap<>();
    java.util.function.IntFunction<SelfManagedBill> selfBill =
        n ->
            selfBills.computeIfAbsent(
                n, m -> SelfManagedBill.of(withTaskManagers(workload, m), groups, perHour, prices));
    SideResult selfManaged =
        SelfManagedScaling.simulate(
            trace,
            hpa,
            new SelfManagedScaling.Rules(
                workload.taskManagerReplicas(),
                workload.taskManager().cpu().doubleValue(),
                settings.rescalePause().toMillis() / 1000.0,
                seconds(ReactiveDefaults.SCALING_INTERVAL_MIN),
                settings.nodeLaunch().toSeconds(),
                settings.nodeRelease().toSeconds()),
            new SelfManagedScaling.Pricing(
                n -> n == 0 ? 0 : selfBill.apply(n).taskManagerNodes(),
                n -> {
                  SelfManagedBill b = selfBill.apply(Math.max(1, n));
                  return options.view() == CostOptions.SelfManagedView.DEDICATED
                      ? b.dedicated().totalUsd()
                      : b.shared().totalUsd();
                }),
            step);

    assumptions.add(
        "trace "
            + trace.source()
            + ": "
            + trace.samples()
            + " samples of "
            + trace.unit()
            + ", one every "
            + trace.stepSeconds()
            + " s, "
            + String.format(java.util.Locale.ROOT, "%.1f", duration / 3600.0)
            + " h from "
            + trace.start()
            + "; a sample holds until the next; both sides start at the trace's first second with"
            + " nothing queued");
    assumptions.add(
        "work is CPU: the load is the vCPUs busy processing it; MSF gives 1 vCPU per KPU"
            + " (ceil(parallelism / ParallelismPerKPU) KPUs), a TaskManager its CPU request ("
            + workload.taskManager().cpu().stripTrailingZeros().toPlainString()
            + " vCPU); work above capacity queues and is processed later (backlog)");
    assumptions.add(
        "MSF autoscaling as documented (docs.aws.amazon.com/managed-flink/latest/java/how-scaling-auto.html):"
            + " x2 after 15 one-minute datapoints >= 75% CPU, /2 (rounded up, never below "
            + msfStart
            + ") after 360 < 10%; each scaling pauses processing "
            + minutes(settings.msfScalingPause().toSeconds())
            + " (--msf-scaling-pause; 10-20 min reported for large state) and is billed at the"
            + " larger size meanwhile");
    assumptions.add(
        "self-managed: the HPA flinkspot writes (target CPU "
            + policy.targetCpuUtilizationPercent()
            + "%, scale-up window "
            + policy.scaleUp().stabilizationWindowSeconds()
            + " s, scale-down window "
            + policy.scaleDown().stabilizationWindowSeconds()
            + " s, "
            + hpa.minReplicas()
            + "-"
            + hpa.maxReplicas()
            + " TaskManagers) synced every 15 s as kube-controller-manager does; each Reactive Mode"
            + " rescale pauses processing "
            + settings.rescalePause().toMillis() / 1000.0
            + " s (--rescale-pause; measured by the job benchmark on small state), at most one per "
            + ReactiveDefaults.SCALING_INTERVAL_MIN
            + " when growing");
    assumptions.add(
        "nodes: new ones are ready "
            + minutes(settings.nodeLaunch().toSeconds())
            + " after being wanted (--node-launch-delay) and billed from launch; unneeded ones go after "
            + minutes(settings.nodeRelease().toSeconds())
            + " (--node-release-delay, Cluster Autoscaler's default); pod start-up time is not counted");
    assumptions.add(
        "both bills per hour from the cost engine: MSF KPUs + orchestration KPU"
            + (options.msfRunningStorage() ? " + running storage" : "")
            + "; self-managed "
            + (options.view() == CostOptions.SelfManagedView.DEDICATED
                ? "dedicated nodes"
                : "shared-cluster share")
            + " incl. On-Demand JobManager nodes, EKS control plane"
            + (options.clusterJobs() > 1 ? " / " + options.clusterJobs() + " jobs" : "")
            + " and root volumes; EMR on EKS not simulated");

    double[] hourlyLoad = new double[managed.hourlyCapacityVcpus().length];
    double[] timelineLoad = new double[managed.timelineCapacityVcpus().length];
    LoadTrace.Cursor cursor = trace.cursor();
    long tick = HorizontalPodAutoscalerModel.SYNC_PERIOD_SECONDS;
    for (long now = 0; now < duration; now += tick) {
      long seconds = Math.min(tick, duration - now);
      double l = cursor.loadAt(now) * seconds;
      hourlyLoad[(int) (now / 3600)] += l;
      timelineLoad[(int) (now / step)] += l;
    }
    for (int h = 0; h < hourlyLoad.length; h++) {
      hourlyLoad[h] /= SideRecorder.secondsIn(h * 3600L, 3600, duration);
    }
    for (int i = 0; i < timelineLoad.length; i++) {
      timelineLoad[i] /= SideRecorder.secondsIn(i * step, step, duration);
    }
    return new TraceComparison(
        workload.qualifiedName(),
        prices.region(),
        prices.asOf(),
        trace,
        step,
        hourlyLoad,
        timelineLoad,
        managed,
        selfManaged,
        assumptions);
  }

  static long timelineStep(long duration) {
    long raw = (duration + TIMELINE_POINTS - 1) / TIMELINE_POINTS;
    return Math.max(60, (raw + 59) / 60 * 60);
  }

  static FlinkWorkload withTaskManagers(FlinkWorkload w, int taskManagers) {
    return new FlinkWorkload(
        w.name(),
        w.namespace(),
        taskManagers * w.slotsPerTaskManager(),
        "simulated",
        w.jobManager(),
        w.jobManagerReplicas(),
        w.taskManager(),
        taskManagers,
        w.slotsPerTaskManager(),
        List.of());
  }

  /** Seconds of a Flink duration such as "60 s". */
  static long seconds(String flinkDuration) {
    return Long.parseLong(flinkDuration.replaceAll("[^0-9]", ""));
  }

  static String minutes(long seconds) {
    return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
  }
}
