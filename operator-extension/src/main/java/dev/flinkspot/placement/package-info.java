/**
 * Where Spot/On-Demand placement is decided: a raw FlinkDeployment and a policy in, the placed
 * FlinkDeployment out (pod-template merge, conflicts with the user's own placement). Pure; uses
 * policy and common.
 */
package dev.flinkspot.placement;
