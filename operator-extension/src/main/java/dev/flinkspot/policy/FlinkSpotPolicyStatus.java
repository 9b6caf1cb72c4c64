package dev.flinkspot.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flinkspot.interruption.counts.InterruptionCounts;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Status of a {@link FlinkSpotPolicy}: Ready (and ScalingReady) conditions, governed deployments,
 * their HPAs' scaling, generation, Spot interruptions.
 *
 * <p>Bounded: it is rewritten whole on each change, and etcd refuses a request over 1.5 MiB (etcd's
 * {@code --max-request-bytes} default, https://etcd.io/docs/v3.5/dev-guide/limit/). So {@code
 * governedCount} is exact but {@code governedDeployments} names at most {@link #LISTED} (the first
 * by name, {@code governedTruncated} then true), and {@code scaling} lists at most {@link #LISTED}
 * deployments with something to report, beside exact {@code scalingCounts}. An entry is at most
 * about 1.5 KB (three HPA conditions with their messages), so 100 of them stay far below 1 MiB; at
 * 10,000 deployments the unbounded status was 2.6 MB.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlinkSpotPolicyStatus {

  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private List<String> governedDeployments = new ArrayList<>();
  private Integer governedCount;
  private Boolean governedTruncated;
  private List<DeploymentScaling> scaling = new ArrayList<>();
  private ScalingCounts scalingCounts;
  private Boolean scalingTruncated;
  private InterruptionCounts interruptions;

  /** How many deployments {@code governedDeployments} and {@code scaling} name at most. */
  public static final int LISTED = 100;

  public FlinkSpotPolicyStatus() {}

  /**
   * @param governedDeployments all governed deployments' names, sorted; the status keeps the count
   *     and the first {@link #LISTED}
   */
  public FlinkSpotPolicyStatus(
      Long observedGeneration, List<Condition> conditions, List<String> governedDeployments) {
    this.observedGeneration = observedGeneration;
    this.conditions = new ArrayList<>(conditions);
    this.governedDeployments = new ArrayList<>(firstListed(governedDeployments));
    this.governedCount = governedDeployments.size();
    this.governedTruncated = governedDeployments.size() > LISTED ? true : null;
  }

  /** The first {@link #LISTED} of {@code all}. */
  public static <T> List<T> firstListed(List<T> all) {
    return all.size() > LISTED ? all.subList(0, LISTED) : all;
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

  /** True when {@code governedDeployments} names only the first {@link #LISTED}; else absent. */
  public Boolean getGovernedTruncated() {
    return governedTruncated;
  }

  public void setGovernedTruncated(Boolean governedTruncated) {
    this.governedTruncated = governedTruncated;
  }

  /**
   * What the HPAs of governed deployments with something to report say (no HPA, no status yet, not
   * able to scale, inactive, at a bound), at most {@link #LISTED}; empty when the policy does not
   * scale. Healthy deployments are only counted in {@link #getScalingCounts()}.
   */
  public List<DeploymentScaling> getScaling() {
    return scaling;
  }

  public void setScaling(List<DeploymentScaling> scaling) {
    this.scaling = scaling;
  }

  /** The governed deployments by what their HPAs say; null when the policy does not scale. */
  public ScalingCounts getScalingCounts() {
    return scalingCounts;
  }

  public void setScalingCounts(ScalingCounts scalingCounts) {
    this.scalingCounts = scalingCounts;
  }

  /** True when more deployments have something to report than {@code scaling} lists. */
  public Boolean getScalingTruncated() {
    return scalingTruncated;
  }

  public void setScalingTruncated(Boolean scalingTruncated) {
    this.scalingTruncated = scalingTruncated;
  }

  /**
   * The Spot interruptions of the deployments it governs, kept across restarts (the policy status
   * loop carries them over and adds what the Spot notice loop hands over); absent until the first
   * notice.
   */
  public InterruptionCounts getInterruptions() {
    return interruptions;
  }

  public void setInterruptions(InterruptionCounts interruptions) {
    this.interruptions = interruptions;
  }

  /**
   * This status with its scaling set (a copy).
   *
   * @param reported all deployments with something to report; the status keeps the first {@link
   *     #LISTED}
   * @param counts null when the policy does not scale
   */
  public FlinkSpotPolicyStatus withScaling(List<DeploymentScaling> reported, ScalingCounts counts) {
    var copy = withConditions(conditions);
    copy.scaling = new ArrayList<>(firstListed(reported));
    copy.scalingCounts = counts;
    copy.scalingTruncated = reported.size() > LISTED ? true : null;
    return copy;
  }

  /** This status with {@code conditions} instead of its own (a copy). */
  public FlinkSpotPolicyStatus withConditions(List<Condition> conditions) {
    var copy = new FlinkSpotPolicyStatus();
    copy.observedGeneration = observedGeneration;
    copy.conditions = new ArrayList<>(conditions);
    copy.governedDeployments = new ArrayList<>(governedDeployments);
    copy.governedCount = governedCount;
    copy.governedTruncated = governedTruncated;
    copy.scaling = scaling == null ? new ArrayList<>() : new ArrayList<>(scaling);
    copy.scalingCounts = scalingCounts;
    copy.scalingTruncated = scalingTruncated;
    copy.interruptions = interruptions;
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlinkSpotPolicyStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(governedDeployments, s.governedDeployments)
        && Objects.equals(governedCount, s.governedCount)
        && Objects.equals(governedTruncated, s.governedTruncated)
        && Objects.equals(scaling, s.scaling)
        && Objects.equals(scalingCounts, s.scalingCounts)
        && Objects.equals(scalingTruncated, s.scalingTruncated)
        && Objects.equals(interruptions, s.interruptions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        conditions,
        governedDeployments,
        governedCount,
        governedTruncated,
        scaling,
        scalingCounts,
        scalingTruncated,
        interruptions);
  }
}
