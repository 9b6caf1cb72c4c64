package dev.flinkspot.cost.refresh;

import java.math.BigDecimal;
import java.time.Instant;

/** One record of the Spot price history: a type's price in one zone from {@code timestamp} on. */
public record SpotPriceSample(
    String instanceType,
    String availabilityZone,
    String productDescription,
    BigDecimal usdPerHour,
    Instant timestamp) {}
