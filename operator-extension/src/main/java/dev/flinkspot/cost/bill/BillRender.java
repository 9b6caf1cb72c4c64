package dev.flinkspot.cost.bill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.report.ComparisonHtml;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/** {@code flinkspot bill} as a table, JSON (stable keys, documented in the README) or HTML. */
public final class BillRender {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String TEMPLATE = "/dev/flinkspot/cost/bill/bill-report.html";

  private BillRender() {}

  public static ObjectNode toJson(BillReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", r.format());
    root.put("files", r.files());
    root.put("rows", r.rows());
    root.put("currency", r.currency());
    root.put("firstDay", String.valueOf(r.firstDay()));
    root.put("lastDay", String.valueOf(r.lastDay()));
    root.put("totalUsd", cents(r.totalUsd()));
    ArrayNode jobs = root.putArray("jobs");
    for (BillReport.JobBill j : r.jobs()) {
      ObjectNode job = jobs.addObject();
      job.put("job", j.job());
      job.put("policy", j.policy());
      job.put("jobManagerUsd", cents(j.jobManagerUsd()));
      job.put("taskManagerUsd", cents(j.taskManagerUsd()));
      job.put("totalUsd", cents(j.totalUsd()));
      job.put("spotUsd", cents(j.spotUsd()));
      job.put("onDemandUsd", cents(j.onDemandUsd()));
      job.put("taskManagerPodHours", round(j.taskManagerPodHours()));
      job.put("hours", round(j.hours()));
      job.put("meanParallelism", round(j.meanParallelism()));
      job.put("managedFlinkUsd", cents(j.managedFlinkUsd()));
    }
    money(root.putObject("shared"), r.shared());
    money(root.putObject("adjustments"), r.adjustments());
    root.put("spotUsd", cents(r.spotUsd()));
    root.put("onDemandUsd", cents(r.onDemandUsd()));
    root.putObject("splitCheck")
        .put("instanceLines", r.splitCheck().instanceLines())
        .put("worstDifferenceUsd", r.splitCheck().worstDifferenceUsd().stripTrailingZeros());
    ArrayNode daily = root.putArray("daily");
    for (BillReport.DailyCost d : r.daily()) {
      daily
          .addObject()
          .put("day", d.day().toString())
          .put("job", d.job())
          .put("component", d.component())
          .put("usd", d.usd().setScale(4, RoundingMode.HALF_EVEN));
    }
    ArrayNode assumptions = root.putArray("assumptions");
    r.assumptions().forEach(assumptions::add);
    return root;
  }

  public static String json(BillReport r) {
    return write(toJson(r)) + System.lineSeparator();
  }

  public static String html(BillReport r) {
    return ComparisonHtml.resource(TEMPLATE)
        .replace("/*CHART_JS*/", ComparisonHtml.scriptSafe(ComparisonHtml.chartJs()))
        .replace("/*REPORT_DATA*/null", ComparisonHtml.scriptSafe(write(toJson(r))));
  }

  public static String table(BillReport r) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "AWS bill by Flink job: %s, %d file(s), %d rows, %s, %s to %s%n%n",
            r.format(),
            r.files(),
            r.rows(),
            r.currency(),
            r.firstDay(),
            r.lastDay()));
    String row = "%-32s %11s %11s %11s %11s %11s %11s %8s%n";
    out.append(
        String.format(
            Locale.ROOT,
            row,
            "job",
            "JobManager",
            "TaskManager",
            "total",
            "Spot",
            "On-Demand",
            "MSF",
            "mean P"));
    for (BillReport.JobBill j : r.jobs()) {
      out.append(
          String.format(
              Locale.ROOT,
              row,
              j.job(),
              cents(j.jobManagerUsd()),
              cents(j.taskManagerUsd()),
              cents(j.totalUsd()),
              cents(j.spotUsd()),
              cents(j.onDemandUsd()),
              cents(j.managedFlinkUsd()),
              String.format(Locale.ROOT, "%.1f", j.meanParallelism())));
    }
    if (r.jobs().isEmpty()) {
      out.append("(no FlinkDeployment found: see the tag keys in the assumptions)\n");
    }
    out.append("\nshared cluster costs:\n");
    section(out, r.shared());
    out.append("credits, refunds, savings plans and other adjustments:\n");
    section(out, r.adjustments());
    out.append(
        String.format(
            Locale.ROOT, "%-44s %11s%n", "total (every line of the export)", cents(r.totalUsd())));
    out.append(
        String.format(
            Locale.ROOT,
            "instances: Spot %s, On-Demand %s%n",
            cents(r.spotUsd()),
            cents(r.onDemandUsd())));
    out.append(
        String.format(
            Locale.ROOT,
            "split rows add back to %d instance line(s), worst difference %s%n",
            r.splitCheck().instanceLines(),
            r.splitCheck().worstDifferenceUsd().stripTrailingZeros().toPlainString()));
    out.append("\nassumptions:\n");
    r.assumptions().forEach(a -> out.append("- ").append(a).append('\n'));
    return out.toString();
  }

  private static void section(StringBuilder out, Map<String, BigDecimal> buckets) {
    if (buckets.isEmpty()) {
      out.append("  (none)\n");
    }
    buckets.forEach(
        (k, v) -> out.append(String.format(Locale.ROOT, "  %-42s %11s%n", k, cents(v))));
  }

  private static void money(ObjectNode node, Map<String, BigDecimal> buckets) {
    buckets.forEach((k, v) -> node.put(k, cents(v)));
  }

  private static BigDecimal cents(BigDecimal usd) {
    return CostComparison.cents(usd);
  }

  private static BigDecimal round(double v) {
    return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
