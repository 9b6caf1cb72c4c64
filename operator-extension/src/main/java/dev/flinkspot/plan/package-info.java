/**
 * Sizing plans and generated manifests (eksctl, Karpenter, FlinkDeployment) from a workload and the
 * catalog. Uses cost, policy, kube and common.
 */
package dev.flinkspot.plan;
