package dev.flinkspot.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import java.util.List;

/**
 * One governed FlinkDeployment's scaling as its HPA reports it, in the policy's status.
 *
 * @param deployment the FlinkDeployment's name
 * @param hpa the name of flinkspot's HPA for it, or null when it has none
 * @param currentReplicas TaskManagers the HPA last saw
 * @param desiredReplicas TaskManagers the HPA last asked for
 * @param conditions the HPA's conditions (AbleToScale, ScalingActive, ScalingLimited)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentScaling(
    String deployment,
    String hpa,
    Integer minReplicas,
    Integer maxReplicas,
    Integer currentReplicas,
    Integer desiredReplicas,
    String lastScaleTime,
    List<HorizontalPodAutoscalerCondition> conditions) {}
