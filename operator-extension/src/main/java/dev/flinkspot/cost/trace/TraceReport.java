package dev.flinkspot.cost.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.report.ComparisonHtml;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The three renderings of {@code flinkspot cost FILE --load-trace TRACE}. The JSON keys are a
 * contract (documented in the README); money is rounded to cents only here.
 */
public final class TraceReport {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String TEMPLATE = "/dev/flinkspot/cost/trace/trace-report.html";

  /** The table lists every hour up to this many, then days. */
  static final int TABLE_HOURS = 48;

  private TraceReport() {}

  /** One comparison as JSON (stable keys). */
  public static ObjectNode toJson(TraceComparison c) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("deployment", c.deployment());
    root.put("region", c.region());
    ObjectNode trace = root.putObject("trace");
    trace.put("source", c.trace().source());
    trace.put("unit", c.trace().unit());
    trace.put("start", c.trace().start().toString());
    trace.put("samples", c.trace().samples());
    trace.put("stepSeconds", c.trace().stepSeconds());
    trace.put("durationSeconds", c.trace().durationSeconds());
    root.set("managed", side(c.managed()));
    root.set("selfManaged", side(c.selfManaged()));
    root.put(
        "savingsUsd",
        CostComparison.cents(c.managed().totalUsd().subtract(c.selfManaged().totalUsd())));
    ArrayNode hours = root.putArray("hours");
    for (int h = 0; h < c.hourlyLoadVcpus().length; h++) {
      ObjectNode hour = hours.addObject();
      hour.put("hour", h);
      hour.put("start", c.trace().start().plusSeconds(h * 3600L).toString());
      hour.put("loadVcpus", round(c.hourlyLoadVcpus()[h]));
      hour.put("managedVcpus", round(c.managed().hourlyCapacityVcpus()[h]));
      hour.put("managedUsd", money(c.managed().hourlyUsd().get(h)));
      hour.put("selfManagedVcpus", round(c.selfManaged().hourlyCapacityVcpus()[h]));
      hour.put("selfManagedUsd", money(c.selfManaged().hourlyUsd().get(h)));
    }
    ObjectNode timeline = root.putObject("timeline");
    timeline.put("stepSeconds", c.timelineStepSeconds());
    array(timeline.putArray("loadVcpus"), c.timelineLoadVcpus());
    array(timeline.putArray("managedVcpus"), c.managed().timelineCapacityVcpus());
    array(timeline.putArray("selfManagedVcpus"), c.selfManaged().timelineCapacityVcpus());
    ArrayNode assumptions = root.putArray("assumptions");
    c.assumptions().forEach(assumptions::add);
    root.putObject("prices")
        .put("asOf", c.pricesAsOf() == null ? null : c.pricesAsOf().toString())
        .put("region", c.region());
    return root;
  }

  public static String json(List<TraceComparison> comparisons, List<String> skipped) {
    ObjectNode root;
    if (comparisons.size() == 1) {
      root = toJson(comparisons.get(0));
    } else {
      root = MAPPER.createObjectNode();
      ArrayNode reports = root.putArray("reports");
      comparisons.forEach(c -> reports.add(toJson(c)));
    }
    ArrayNode s = root.putArray("skippedDocuments");
    skipped.forEach(s::add);
    return write(root) + System.lineSeparator();
  }

  public static String html(List<TraceComparison> comparisons, List<String> skipped) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode reports = root.putArray("reports");
    comparisons.forEach(c -> reports.add(toJson(c)));
    ArrayNode s = root.putArray("skippedDocuments");
    skipped.forEach(s::add);
    return ComparisonHtml.resource(TEMPLATE)
        .replace("/*CHART_JS*/", ComparisonHtml.scriptSafe(ComparisonHtml.chartJs()))
        .replace("/*REPORT_DATA*/null", ComparisonHtml.scriptSafe(write(root)));
  }

  public static String table(List<TraceComparison> comparisons, List<String> skipped) {
    StringBuilder out = new StringBuilder();
    for (TraceComparison c : comparisons) {
      SideResult m = c.managed();
      SideResult s = c.selfManaged();
      out.append(c.deployment())
          .append(" on a load trace, ")
          .append(c.region())
          .append(" (prices as of ")
          .append(c.pricesAsOf())
          .append(")\n");
      out.append(
          String.format(
              Locale.ROOT,
              "trace: %s, %d samples, %.1f h from %s%n%n",
              c.trace().source(),
              c.trace().samples(),
              c.trace().durationSeconds() / 3600.0,
              c.trace().start()));
      String row = "  %-26s %22s %22s%n";
      out.append(String.format(Locale.ROOT, row, "", "MSF", "self-managed on EKS"));
      out.append(String.format(Locale.ROOT, row, "total", usd(m.totalUsd()), usd(s.totalUsd())));
      out.append(
          String.format(
              Locale.ROOT,
              row,
              "paused",
              duration(m.pausedSeconds()) + " (" + m.scalings() + ")",
              duration(s.pausedSeconds()) + " (" + s.scalings() + ")"));
      out.append(
          String.format(
              Locale.ROOT,
              row,
              "under-provisioned",
              hours(m.underProvisionedHours()),
              hours(s.underProvisionedHours())));
      out.append(
          String.format(
              Locale.ROOT,
              row,
              "peak capacity",
              round(m.peakCapacityVcpus()) + " vCPU",
              round(s.peakCapacityVcpus()) + " vCPU"));
      out.append(
          String.format(
              Locale.ROOT,
              row,
              "peak backlog",
              backlog(m.peakBacklogVcpuSeconds()),
              backlog(s.peakBacklogVcpuSeconds())));
      out.append(
          String.format(
              Locale.ROOT, "  (in brackets: %s / %s)%n", m.scalingNoun(), s.scalingNoun()));
      out.append(
          String.format(
              Locale.ROOT, "  savings: %s%n%n", usd(m.totalUsd().subtract(s.totalUsd()))));

      int hoursCount = c.hourlyLoadVcpus().length;
      boolean byDay = hoursCount > TABLE_HOURS;
      int span = byDay ? 24 : 1;
      out.append(byDay ? "  per day (every hour in --format json):\n" : "  per hour:\n");
      String line = "  %-20s %10s %10s %10s %10s %10s%n";
      out.append(
          String.format(
              Locale.ROOT, line, "from", "load vCPU", "MSF vCPU", "MSF $", "self vCPU", "self $"));
      for (int from = 0; from < hoursCount; from += span) {
        int to = Math.min(hoursCount, from + span);
        double load = 0;
        double mv = 0;
        double sv = 0;
        BigDecimal mu = BigDecimal.ZERO;
        BigDecimal su = BigDecimal.ZERO;
        for (int h = from; h < to; h++) {
          load += c.hourlyLoadVcpus()[h];
          mv += m.hourlyCapacityVcpus()[h];
          sv += s.hourlyCapacityVcpus()[h];
          mu = mu.add(m.hourlyUsd().get(h));
          su = su.add(s.hourlyUsd().get(h));
        }
        int n = to - from;
        Instant start = c.trace().start().plusSeconds(from * 3600L);
        out.append(
            String.format(
                Locale.ROOT,
                line,
                start.toString().substring(0, 16).replace('T', ' '),
                fixed(load / n),
                fixed(mv / n),
                CostComparison.cents(mu).toPlainString(),
                fixed(sv / n),
                CostComparison.cents(su).toPlainString()));
      }
      out.append("\n  assumptions:\n");
      c.assumptions().forEach(a -> out.append("  - ").append(a).append('\n'));
      m.notes().forEach(a -> out.append("  - ").append(a).append('\n'));
      s.notes().forEach(a -> out.append("  - ").append(a).append('\n'));
      out.append('\n');
    }
    if (!skipped.isEmpty()) {
      out.append("skipped: ").append(String.join("; ", skipped)).append('\n');
    }
    return out.toString();
  }

  private static ObjectNode side(SideResult r) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", r.name());
    node.put("totalUsd", CostComparison.cents(r.totalUsd()));
    node.put("pausedSeconds", round(r.pausedSeconds()));
    node.put("scalings", r.scalings());
    node.put("underProvisionedHours", round(r.underProvisionedHours()));
    node.put("peakCapacityVcpus", round(r.peakCapacityVcpus()));
    node.put("peakBacklogVcpuSeconds", round(r.peakBacklogVcpuSeconds()));
    ObjectNode work = node.putObject("work");
    work.put("arrivedVcpuSeconds", round(r.arrivedVcpuSeconds()));
    work.put("processedVcpuSeconds", round(r.processedVcpuSeconds()));
    work.put("backlogVcpuSeconds", round(r.backlogVcpuSeconds()));
    ArrayNode notes = node.putArray("notes");
    r.notes().forEach(notes::add);
    return node;
  }

  private static void array(ArrayNode node, double[] values) {
    for (double v : values) {
      node.add(round(v));
    }
  }

  /** Four decimals: enough for vCPUs and hours, stable in JSON. */
  static BigDecimal round(double v) {
    return BigDecimal.valueOf(v).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  private static BigDecimal money(BigDecimal usd) {
    return usd.setScale(4, java.math.RoundingMode.HALF_EVEN);
  }

  private static String usd(BigDecimal v) {
    return "$" + CostComparison.cents(v).toPlainString();
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String hours(double h) {
    return String.format(Locale.ROOT, "%.2f h", h);
  }

  private static String duration(double seconds) {
    return seconds < 60
        ? String.format(Locale.ROOT, "%.1f s", seconds)
        : String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
  }

  private static String backlog(double vcpuSeconds) {
    return String.format(Locale.ROOT, "%.1f vCPU·min", vcpuSeconds / 60);
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
