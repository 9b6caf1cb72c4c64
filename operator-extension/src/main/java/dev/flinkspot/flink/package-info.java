/**
 * What a FlinkDeployment's Flink configuration says: FlinkConfiguration is the one reader of slots,
 * max parallelism, job parallelism, deployment mode and Reactive Mode, for scaling, the cost CLI
 * and the live cost reports alike. Pure; uses common.
 */
package dev.flinkspot.flink;
