package dev.flinkspot.policy;

import dev.flinkspot.policy.FlinkSpotPolicySpec.Toleration;
import dev.flinkspot.scaling.ScalingPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated policy with every default applied: what the placement, reactive-defaults and HPA
 * layers read. Built only by {@link #from}, which refuses an invalid spec.
 */
public record PlacementPolicy(
    String name,
    boolean namespaceDefault,
    boolean repairExisting,
    String capacityKey,
    List<String> onDemandValues,
    List<String> spotValues,
    JobManagerPlacement jobManager,
    TaskManagerPlacement taskManager,
    ScalingPolicy scaling,
    boolean rebalanceIsNotice) {

  public static final String ZONE_KEY = "topology.kubernetes.io/zone";
  public static final String INSTANCE_TYPE_KEY = "node.kubernetes.io/instance-type";
  public static final LabelScheme DEFAULT_SCHEME = LabelScheme.EksManagedNodeGroup;
  public static final int DEFAULT_MAX_SKEW = 1;
  public static final String DEFAULT_WHEN_UNSATISFIABLE = "ScheduleAnyway";
  public static final List<String> DEFAULT_TOPOLOGY_KEYS = List.of(ZONE_KEY, INSTANCE_TYPE_KEY);

  /**
   * Most placeholder pods per deployment ({@code taskManager.spare}); the CRD's CEL rule says the
   * same. Each is a whole idle TaskManager-sized pod billed like one; a Spot reclaim takes one node
   * (two minutes' notice each), so a handful covers it, and 100 is far above any sensible value
   * while it bounds what one typo costs.
   */
  public static final int MAX_SPARE = 100;

  /** JobManager settings: On-Demand is always required. */
  public record JobManagerPlacement(
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      String priorityClassName,
      boolean doNotDisrupt) {}

  /**
   * TaskManager settings.
   *
   * @param spare placeholder pods kept per governed running deployment (0: none)
   */
  public record TaskManagerPlacement(
      SpotMode spot,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      String priorityClassName,
      SpreadPlacement spread,
      int spare) {}

  /** Topology spread: one constraint per key, all with the same skew and policy. */
  public record SpreadPlacement(int maxSkew, String whenUnsatisfiable, List<String> topologyKeys) {}

  /** The settings of a valid spec, or the validator's message for an invalid one. */
  public static Result from(String name, FlinkSpotPolicySpec spec) {
    Optional<String> invalid = PolicyValidator.validate(spec);
    if (invalid.isPresent()) {
      return new Result(null, invalid.get());
    }
    FlinkSpotPolicySpec s =
        spec == null ? new FlinkSpotPolicySpec(null, null, null, null, null, null, null) : spec;
    var labels = s.capacityLabels();
    LabelScheme scheme =
        labels == null || labels.scheme() == null ? DEFAULT_SCHEME : labels.scheme();
    String key = scheme == LabelScheme.Custom ? labels.key() : scheme.key();
    List<String> onDemand =
        scheme == LabelScheme.Custom
            ? List.copyOf(labels.onDemandValues())
            : scheme.onDemandValues();
    List<String> spot =
        scheme == LabelScheme.Custom ? List.copyOf(labels.spotValues()) : scheme.spotValues();

    var jm = s.jobManager();
    var jobManager =
        new JobManagerPlacement(
            jm == null || jm.nodeSelector() == null ? Map.of() : Map.copyOf(jm.nodeSelector()),
            jm == null || jm.tolerations() == null ? List.of() : List.copyOf(jm.tolerations()),
            jm == null ? null : jm.priorityClassName(),
            jm == null || jm.doNotDisrupt() == null || jm.doNotDisrupt());

    var tm = s.taskManager();
    var spread = tm == null ? null : tm.spread();
    var taskManager =
        new TaskManagerPlacement(
            tm == null || tm.spot() == null ? SpotMode.Required : tm.spot(),
            tm == null || tm.nodeSelector() == null ? Map.of() : Map.copyOf(tm.nodeSelector()),
            tm == null || tm.tolerations() == null ? List.of() : List.copyOf(tm.tolerations()),
            tm == null ? null : tm.priorityClassName(),
            new SpreadPlacement(
                spread == null || spread.maxSkew() == null ? DEFAULT_MAX_SKEW : spread.maxSkew(),
                spread == null || spread.whenUnsatisfiable() == null
                    ? DEFAULT_WHEN_UNSATISFIABLE
                    : spread.whenUnsatisfiable(),
                spread == null || spread.topologyKeys() == null
                    ? DEFAULT_TOPOLOGY_KEYS
                    : List.copyOf(spread.topologyKeys())),
            tm == null || tm.spare() == null ? 0 : tm.spare());
    return new Result(
        new PlacementPolicy(
            name,
            Boolean.TRUE.equals(s.namespaceDefault()),
            Boolean.TRUE.equals(s.repairExisting()),
            key,
            onDemand,
            spot,
            jobManager,
            taskManager,
            // Valid here: PolicyValidator ran the scaling rules above.
            ScalingPolicy.from(s.scaling()).policy(),
            s.interruptions() != null
                && Boolean.TRUE.equals(s.interruptions().rebalanceRecommendation())),
        null);
  }

  /** Either a policy or the reason there is none. */
  public record Result(PlacementPolicy policy, String invalidMessage) {
    public boolean valid() {
      return policy != null;
    }
  }
}
