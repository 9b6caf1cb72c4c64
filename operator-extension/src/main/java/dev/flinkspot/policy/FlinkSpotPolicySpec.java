package dev.flinkspot.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flinkspot.scaling.ScalingSpec;
import java.util.List;
import java.util.Map;

/**
 * The spec of a {@link FlinkSpotPolicy}, exactly as the user wrote it (fields may be null); {@link
 * PlacementPolicy#from} applies the defaults the CRD schema declares.
 *
 * @param namespaceDefault governs FlinkDeployments of this namespace that carry no policy label
 * @param repairExisting allow the controller to write placement into deployments it did not admit
 *     (each such write restarts the Flink cluster)
 * @param capacityLabels the node label scheme that tells On-Demand from Spot nodes
 * @param jobManager JobManager placement (always On-Demand, required)
 * @param taskManager TaskManager placement (Spot, required or preferred)
 * @param scaling Reactive Mode scaling: the HPA the controller keeps on each governed deployment
 * @param interruptions what the controller does on a Spot interruption notice
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlinkSpotPolicySpec(
    Boolean namespaceDefault,
    Boolean repairExisting,
    CapacityLabels capacityLabels,
    JobManager jobManager,
    TaskManager taskManager,
    ScalingSpec scaling,
    Interruptions interruptions) {

  /**
   * Spot interruption notices: a checkpoint of each governed deployment with TaskManagers on a node
   * about to be reclaimed.
   *
   * @param rebalanceRecommendation whether NTH's rebalance-recommendation taint counts as a notice
   *     (default false: a rebalance recommendation often comes without a reclaim)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Interruptions(Boolean rebalanceRecommendation) {}

  /** Which node label says "On-Demand" or "Spot". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CapacityLabels(
      LabelScheme scheme, String key, List<String> onDemandValues, List<String> spotValues) {}

  /** JobManager placement: On-Demand nodes, required. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JobManager(
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      String priorityClassName,
      Boolean doNotDisrupt) {}

  /**
   * TaskManager placement: Spot nodes, required or preferred, spread over pools.
   *
   * @param spare warm placeholder pods kept per governed running deployment, sized and placed like
   *     its TaskManagers, so that a replacement TaskManager preempts one and starts at once
   *     (0..{@link PlacementPolicy#MAX_SPARE}; default 0)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TaskManager(
      SpotMode spot,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      String priorityClassName,
      Spread spread,
      Integer spare) {}

  /** Topology spread of TaskManagers, one constraint per topology key. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spread(Integer maxSkew, String whenUnsatisfiable, List<String> topologyKeys) {}

  /** A pod toleration, as in {@code core/v1 Toleration}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Toleration(
      String key, String operator, String value, String effect, Long tolerationSeconds) {}
}
