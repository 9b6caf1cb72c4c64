/**
 * Interruption counts kept in a status (pure; no client, no other flinkspot package): the notices
 * and checkpoint outcomes handed over by the Spot notice loop ({@link NoticeFact}), folded into a
 * {@link InterruptionCounts} so that the same fact folded twice (a restart replaying the earlier
 * leader's Events) counts once. Used by both the FlinkSpotPolicy and the FlinkCostReport status.
 */
package dev.flinkspot.interruption.counts;
