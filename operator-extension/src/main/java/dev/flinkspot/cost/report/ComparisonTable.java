package dev.flinkspot.cost.report;

import dev.flinkspot.common.Bounds;
import dev.flinkspot.cost.Bill;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.CostLine;
import java.math.BigDecimal;
import java.util.List;

/** The readable text report of {@code flinkspot cost}: both bills, the savings, the assumptions. */
public final class ComparisonTable {
  private ComparisonTable() {}

  public static String render(List<CostComparison> comparisons, List<String> skipped) {
    StringBuilder out = new StringBuilder();
    for (CostComparison c : comparisons) {
      if (out.length() > 0) {
        out.append('\n');
      }
      renderOne(c, out);
    }
    for (String skip : skipped) {
      out.append("skipped ").append(Bounds.printable(skip)).append('\n');
    }
    return Bounds.printableLines(out.toString());
  }

  private static void renderOne(CostComparison c, StringBuilder out) {
    // A manifest's name is the user's text: a CR/LF in it must not forge report lines.
    out.append(Bounds.printable(c.workload().qualifiedName()))
        .append(" — ")
        .append(c.region())
        .append(", ")
        .append(c.options().hours().stripTrailingZeros().toPlainString())
        .append(" h, parallelism ")
        .append(c.workload().parallelism())
        .append(", prices as of ")
        .append(c.pricesAsOf())
        .append('\n');
    bill(c.managed().bill(), out);
    bill(c.selfManagedHeadline(), out);
    Bill other =
        c.selfManagedHeadline() == c.selfManaged().dedicated()
            ? c.selfManaged().shared()
            : c.selfManaged().dedicated();
    out.append(String.format("  %-52s %12s%n", other.title(), usd(other.totalUsd())));
    out.append(
        String.format(
            "  %-52s %12s  (%d KPU)%n",
            c.managedResourceEquivalent().bill().title(),
            usd(c.managedResourceEquivalent().bill().totalUsd()),
            c.managedResourceEquivalent().billedKpus()));
    out.append(
        String.format(
            "  %-52s %12s  (%s%% of the MSF bill)%n",
            "savings vs MSF", usd(c.savingsUsd()), c.savingsPercent().toPlainString()));
    out.append("  assumptions:\n");
    for (String assumption : c.assumptions()) {
      out.append("    - ").append(Bounds.printable(assumption)).append('\n');
    }
  }

  private static void bill(Bill bill, StringBuilder out) {
    out.append(String.format("  %-52s %12s%n", bill.title(), usd(bill.totalUsd())));
    for (CostLine line : bill.lines()) {
      out.append(
          String.format("    %-50s %12s  %s%n", line.component(), usd(line.usd()), line.basis()));
    }
  }

  static String usd(BigDecimal amount) {
    BigDecimal cents = CostComparison.cents(amount);
    return (cents.signum() < 0 ? "-$" : "$") + String.format("%,.2f", cents.abs());
  }
}
