package dev.flinkspot.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Status of a {@link FlinkSpotPolicy}: Ready (and ScalingReady) conditions, governed deployments,
 * their HPAs' scaling, generation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlinkSpotPolicyStatus {

  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private List<String> governedDeployments = new ArrayList<>();
  private Integer governedCount;
  private List<DeploymentScaling> scaling = new ArrayList<>();

  public FlinkSpotPolicyStatus() {}

  public FlinkSpotPolicyStatus(
      Long observedGeneration, List<Condition> conditions, List<String> governedDeployments) {
    this.observedGeneration = observedGeneration;
    this.conditions = new ArrayList<>(conditions);
    this.governedDeployments = new ArrayList<>(governedDeployments);
    this.governedCount = governedDeployments.size();
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<String> getGovernedDeployments() {
    return governedDeployments;
  }

  public void setGovernedDeployments(List<String> governedDeployments) {
    this.governedDeployments = governedDeployments;
  }

  public Integer getGovernedCount() {
    return governedCount;
  }

  public void setGovernedCount(Integer governedCount) {
    this.governedCount = governedCount;
  }

  /** Per governed deployment, what its HPA reports (empty when the policy does not scale). */
  public List<DeploymentScaling> getScaling() {
    return scaling;
  }

  public void setScaling(List<DeploymentScaling> scaling) {
    this.scaling = scaling;
  }

  /** This status with {@code scaling} set (a copy). */
  public FlinkSpotPolicyStatus withScaling(List<DeploymentScaling> scaling) {
    var copy = new FlinkSpotPolicyStatus(observedGeneration, conditions, governedDeployments);
    copy.governedCount = governedCount;
    copy.scaling = new ArrayList<>(scaling);
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlinkSpotPolicyStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(governedDeployments, s.governedDeployments)
        && Objects.equals(governedCount, s.governedCount)
        && Objects.equals(scaling, s.scaling);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, conditions, governedDeployments, governedCount, scaling);
  }
}
