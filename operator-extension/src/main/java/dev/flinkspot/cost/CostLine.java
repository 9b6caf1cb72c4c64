package dev.flinkspot.cost;

import java.math.BigDecimal;

/**
 * One component of a bill: what it is, what it costs (exact, unrounded), and how it was computed.
 */
public record CostLine(String component, BigDecimal usd, String basis) {}
