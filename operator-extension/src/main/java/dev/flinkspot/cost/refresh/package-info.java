/**
 * Refreshes the price catalog from the AWS price APIs (flinkspot prices refresh), with a deadline
 * per call. Uses cost.catalog and common.
 */
package dev.flinkspot.cost.refresh;
