package dev.flinkspot.policy;

/**
 * A scaling policy's governed deployments counted by what their HPAs say, in the policy's status.
 * Exact however many there are; a deployment can be in more than one count (inactive and limited).
 *
 * @param withHpa deployments with a flinkspot HPA
 * @param hpaMissing deployments without one (or with a foreign HPA of that name)
 * @param awaitingStatus HPAs that have reported no conditions yet
 * @param notAbleToScale HPAs with AbleToScale=False
 * @param scalingInactive HPAs with ScalingActive=False
 * @param scalingLimited HPAs with ScalingLimited=True (at minTaskManagers or maxTaskManagers)
 */
public record ScalingCounts(
    int withHpa,
    int hpaMissing,
    int awaitingStatus,
    int notAbleToScale,
    int scalingInactive,
    int scalingLimited) {}
