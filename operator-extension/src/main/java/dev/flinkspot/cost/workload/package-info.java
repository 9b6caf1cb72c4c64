/**
 * Reads FlinkDeployment manifests (typed model) into workloads the cost engine prices. Uses flink,
 * kube and common.
 */
package dev.flinkspot.cost.workload;
