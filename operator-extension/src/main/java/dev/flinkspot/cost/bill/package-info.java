/**
 * The actual AWS bill per Flink job: reads AWS Data Exports (CUR 2.0 with EKS split cost allocation
 * data, FOCUS 1.x) with DuckDB, attributes cost to FlinkDeployments (JobManager and TaskManager,
 * Spot and On-Demand), keeps shared cluster costs and adjustments apart, and sets what MSF would
 * have charged next to it. Uses cost (bills, options, catalog, rendering), the refresh package's
 * AWS credentials for s3:// exports, and common.
 */
package dev.flinkspot.cost.bill;
