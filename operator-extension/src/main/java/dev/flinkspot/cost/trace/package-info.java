/**
 * Both autoscalers on a load trace: MSF's documented autoscaling rules and flinkspot's HPA with
 * Reactive Mode, simulated in one clock and billed per hour with the cost engine. Pure apart from
 * reading the trace file; uses cost (bills, node groups, catalog, rendering), scaling (the HPA and
 * Reactive Mode that flinkspot ships), policy (the bound of {@code taskManager.spare}) and common.
 */
package dev.flinkspot.cost.trace;
