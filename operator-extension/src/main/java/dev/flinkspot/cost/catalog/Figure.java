package dev.flinkspot.cost.catalog;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One sourced number of the price catalog: its value, unit, the date it was true, and where from.
 */
public record Figure(BigDecimal value, String unit, LocalDate asOf, String source) {}
