/**
 * The cost engine: what a workload costs self-managed on EKS (On-Demand JobManagers, Spot
 * TaskManagers) and on Amazon Managed Service for Apache Flink, from the sourced price catalog.
 * Uses its sub-packages, flink, kube and common.
 */
package dev.flinkspot.cost;
