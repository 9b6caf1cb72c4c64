package dev.flinkspot.cost.report;

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
      out.append("skipped ").append(skip).append('\n');
    }
    return out.toString();
  }

  private static void renderOne(CostComparison c, StringBuilder out) {
    out.append(c.workload().qualifiedName())
        .append(" — ")
        .append(c.region())
        .append(", ")
        .append(c.options().hours().stripTrailingZeros().toPlainString())
        .append(" h, parallelism ")
        .append(c.workload().parallelism())
        .append(", prices as of ")
        .append(c.pricesAsOf())
        .append('\n');
    if (c.managed() != null) {
      bill(c.managed().bill(), out);
    } else {
      out.append(String.format("  %-52s %12s%n", "MSF", "not priced"));
    }
    Bill headline = c.selfManagedHeadline();
    if (headline != null) {
      bill(headline, out);
      Bill other =
          headline == c.selfManaged().dedicated()
              ? c.selfManaged().shared()
              : c.selfManaged().dedicated();
      out.append(String.format("  %-52s %12s%n", other.title(), usd(other.totalUsd())));
    } else {
      out.append(String.format("  %-52s %12s%n", "self-managed on EKS", "not priced"));
    }
    out.append(
        String.format(
            "  %-52s %12s%n",
            c.emrOnEks() == null ? "EMR on EKS" : c.emrOnEks().bill().title(),
            c.emrOnEks() == null ? "not priced" : usd(c.emrOnEks().bill().totalUsd())));
    if (c.emrOnEks() != null) {
      // the node lines are the self-managed headline's; only the uplift is EMR's own
      List<CostLine> lines = c.emrOnEks().bill().lines();
      lines.subList(headline.lines().size(), lines.size()).forEach(line -> line(line, out));
    }
    if (c.managedResourceEquivalent() != null) {
      out.append(
          String.format(
              "  %-52s %12s  (%d KPU)%n",
              c.managedResourceEquivalent().bill().title(),
              usd(c.managedResourceEquivalent().bill().totalUsd()),
              c.managedResourceEquivalent().billedKpus()));
    }
    if (c.complete()) {
      out.append(
          String.format(
              "  %-52s %12s  (%s%% of the MSF bill)%n",
              "savings vs MSF", usd(c.savingsUsd()), c.savingsPercent().toPlainString()));
    }
    if (!c.missingFigures().isEmpty()) {
      out.append("  missing figures (supply them with --prices FILE):\n");
      for (String figure : c.missingFigures()) {
        out.append("    - ").append(figure).append('\n');
      }
    }
    out.append("  assumptions:\n");
    for (String assumption : c.assumptions()) {
      out.append("    - ").append(assumption).append('\n');
    }
  }

  private static void bill(Bill bill, StringBuilder out) {
    out.append(String.format("  %-52s %12s%n", bill.title(), usd(bill.totalUsd())));
    bill.lines().forEach(line -> line(line, out));
  }

  private static void line(CostLine line, StringBuilder out) {
    out.append(
        String.format("    %-50s %12s  %s%n", line.component(), usd(line.usd()), line.basis()));
  }

  static String usd(BigDecimal amount) {
    BigDecimal cents = CostComparison.cents(amount);
    return (cents.signum() < 0 ? "-$" : "$") + String.format("%,.2f", cents.abs());
  }
}
