package dev.flinkspot.cost;

import java.math.BigDecimal;
import java.util.List;

/** A bill: its components; the total is their exact sum. */
public record Bill(String title, List<CostLine> lines) {
  public Bill {
    lines = List.copyOf(lines);
  }

  public BigDecimal totalUsd() {
    return lines.stream().map(CostLine::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
