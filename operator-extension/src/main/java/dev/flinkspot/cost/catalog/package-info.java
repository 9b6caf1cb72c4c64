/**
 * The sourced price catalog (built in, with a price file laid over it): instance types, On-Demand
 * and Spot prices, MSF KPU prices per region. Uses common.
 */
package dev.flinkspot.cost.catalog;
