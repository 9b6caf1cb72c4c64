/**
 * Live cost of running deployments: FlinkCostReport (CRD), what the observed pods and nodes cost
 * now, the ledger that accumulates it, and when a report is written. Pure apart from the CRD model;
 * uses cost, flink, kube and common.
 */
package dev.flinkspot.cost.live;
