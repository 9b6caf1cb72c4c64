package dev.flinkspot.scaling;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;

/**
 * The {@code spec.scaling} section of a FlinkSpotPolicy exactly as the user wrote it (any field may
 * be null); {@link ScalingPolicy#from} validates it and applies the defaults.
 *
 * @param enabled Reactive Mode scaling on or off; {@code true} when the section is present and the
 *     field is not
 * @param minTaskManagers the HPA's minReplicas (default 1)
 * @param maxTaskManagers the HPA's maxReplicas (required when enabled)
 * @param targetCpuUtilizationPercent average TaskManager CPU utilisation the HPA aims for
 * @param scaleUp how fast the HPA adds TaskManagers
 * @param scaleDown how fast the HPA removes TaskManagers
 * @param enforceCheckpointing reject (rather than warn about) deployments without checkpointing
 * @param metrics extra {@code autoscaling/v2} metrics (Pods, Object, External...) next to CPU
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScalingSpec(
    Boolean enabled,
    Integer minTaskManagers,
    Integer maxTaskManagers,
    Integer targetCpuUtilizationPercent,
    Rules scaleUp,
    Rules scaleDown,
    Boolean enforceCheckpointing,
    List<MetricSpec> metrics) {

  /**
   * One direction of the HPA {@code behavior}: each step may change at most {@code
   * maxTaskManagersPerPeriod} TaskManagers or {@code maxPercentPerPeriod} percent of them,
   * whichever is more, once per {@code periodSeconds}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rules(
      Integer stabilizationWindowSeconds,
      Integer periodSeconds,
      Integer maxTaskManagersPerPeriod,
      Integer maxPercentPerPeriod) {}
}
