/** Renders cost comparisons and live reports (table, JSON, HTML). Uses cost and cost.live. */
package dev.flinkspot.cost.report;
