/**
 * Node groups as the cost engine sees them (eksctl configs, cluster nodes): instance types,
 * capacity type, allocatable. Uses cost.catalog, kube and common.
 */
package dev.flinkspot.cost.nodes;
