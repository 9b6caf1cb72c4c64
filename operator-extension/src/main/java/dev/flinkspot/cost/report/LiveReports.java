package dev.flinkspot.cost.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.common.Bounds;
import dev.flinkspot.cost.live.FlinkCostReport;
import dev.flinkspot.cost.live.FlinkCostReportStatus;
import dev.flinkspot.cost.live.LiveReportStatus;
import dev.flinkspot.interruption.counts.InterruptionCounts;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code flinkspot report}: FlinkCostReports read from a cluster as a table, JSON (stable field
 * names: {@code cluster} with the cluster's fixed cost told once, {@code reports[]} with {@code
 * namespace}, {@code name}, {@code selfManaged}, {@code managed}, {@code spares}, …) or a
 * self-contained HTML page (Chart.js inlined, no network). The warm spares ({@code
 * taskManager.spare}) have their own line: a column, a JSON object, an HTML column; their cost is
 * inside the self-managed figure, never in the TaskManager count.
 */
public final class LiveReports {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TEMPLATE = "/dev/flinkspot/cost/report/live-report.html";

  private LiveReports() {}

  public static String table(List<FlinkCostReport> reports) {
    String format = "%-16s %-24s %14s %12s %9s %5s %7s %12s %-10s %s%n";
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            format,
            "NAMESPACE",
            "NAME",
            "SELF $/MONTH",
            "MSF $/MONTH",
            "SAVINGS %",
            "TMS",
            "SPOT %",
            "SPARES $/MO",
            "PRICED",
            "ACCUMULATED SELF/MSF $"));
    for (FlinkCostReport r : reports) {
      FlinkCostReportStatus s = status(r);
      out.append(
          String.format(
              format,
              r.getMetadata().getNamespace(),
              r.getMetadata().getName(),
              dash(s.selfManagedUsdPerMonth()),
              dash(s.managedUsdPerMonth()),
              dash(s.savingsPercent()),
              s.taskManagers() == null ? "-" : s.taskManagers().toString(),
              dash(s.spotSharePercent()),
              s.spares() == null ? "-" : dash(s.spares().usdPerMonth()),
              pricedCell(s),
              cents(s.accumulatedSelfManagedUsd()) + " / " + cents(s.accumulatedManagedUsd())));
    }
    if (reports.isEmpty()) {
      out.append("no FlinkCostReports found\n");
    }
    cluster(reports).ifPresent(c -> out.append(clusterLine(c)));
    for (FlinkCostReport r : reports) {
      InterruptionCounts counts = status(r).interruptions();
      if (counts != null) {
        out.append(interruptionLine(r, counts));
      }
    }
    return Bounds.printableLines(out.toString());
  }

  /**
   * The cluster's fixed cost as the most recently written report saw it: every report carries the
   * same whole figure and the same count, so it is told once here, not summed over the reports.
   */
  static Optional<FlinkCostReportStatus> cluster(List<FlinkCostReport> reports) {
    return reports.stream()
        .map(LiveReports::status)
        .filter(s -> s.clusterUsdPerHour() != null && s.lastUpdated() != null)
        .max(Comparator.comparing(FlinkCostReportStatus::lastUpdated));
  }

  private static String clusterLine(FlinkCostReportStatus s) {
    int by = s.clusterSharedBy() == null ? 0 : s.clusterSharedBy();
    return "cluster fixed cost (EKS control plane): $"
        + s.clusterUsdPerHour()
        + "/h, counted once: "
        + (by == 0
            ? "carried by no report (no governed deployment runs)"
            : "shared in equal parts by "
                + by
                + " running governed deployment"
                + (by == 1 ? "" : "s")
                + " (every namespace watched), $"
                + s.clusterShareUsdPerHour()
                + "/h each, inside SELF $/MONTH")
        + "\n";
  }

  /** One line per report whose period saw Spot notices (additive: the table keeps its columns). */
  private static String interruptionLine(FlinkCostReport r, InterruptionCounts c) {
    StringBuilder signals = new StringBuilder();
    if (c.bySignal() != null) {
      c.bySignal()
          .forEach((k, v) -> signals.append(signals.isEmpty() ? "" : ", ").append(k + " " + v));
    }
    return "spot notices in the period of "
        + r.getMetadata().getNamespace()
        + "/"
        + r.getMetadata().getName()
        + ": "
        + c.notices()
        + " ("
        + signals
        + "), last "
        + c.lastNotice()
        + "; checkpoints on notice: "
        + c.checkpointsCompleted()
        + " completed, "
        + c.checkpointsFailed()
        + " failed\n";
  }

  public static String json(List<FlinkCostReport> reports) {
    try {
      return ComparisonJson.MAPPER.writeValueAsString(tree(reports)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String html(List<FlinkCostReport> reports) {
    return ComparisonHtml.resource(TEMPLATE)
        .replace("/*CHART_JS*/", ComparisonHtml.scriptSafe(ComparisonHtml.chartJs()))
        .replace("/*REPORT_DATA*/null", ComparisonHtml.scriptSafe(json(reports)));
  }

  static ObjectNode tree(List<FlinkCostReport> reports) {
    ObjectNode root = NODES.objectNode();
    cluster(reports)
        .ifPresent(
            c -> {
              ObjectNode cluster = root.putObject("cluster");
              cluster.put("fixedUsdPerHour", number(c.clusterUsdPerHour()));
              cluster.put("sharedBy", c.clusterSharedBy());
              cluster.put("asOf", c.lastUpdated());
            });
    ArrayNode items = root.putArray("reports");
    for (FlinkCostReport r : reports) {
      FlinkCostReportStatus s = status(r);
      ObjectNode item = items.addObject();
      item.put("namespace", r.getMetadata().getNamespace());
      item.put("name", r.getMetadata().getName());
      item.put("region", s.region());
      item.put("parallelism", s.parallelism());
      item.put("taskManagers", s.taskManagers());
      item.put("jobManagers", s.jobManagers());
      item.put("spotSharePercent", number(s.spotSharePercent()));
      side(
          item.putObject("selfManaged"),
          s.selfManagedUsdPerHour(),
          s.selfManagedUsdPerMonth(),
          s.accumulatedSelfManagedUsd());
      side(
          item.putObject("managed"),
          s.managedUsdPerHour(),
          s.managedUsdPerMonth(),
          s.accumulatedManagedUsd());
      spares(item, s.spares());
      item.put("clusterShareUsdPerHour", number(s.clusterShareUsdPerHour()));
      item.put("clusterSharedBy", s.clusterSharedBy());
      item.put("savingsPercent", number(s.savingsPercent()));
      item.put("since", s.since());
      item.put("lastUpdated", s.lastUpdated());
      item.put("closed", s.closed());
      InterruptionCounts counts = s.interruptions();
      if (counts != null) {
        ObjectNode spot = item.putObject("interruptions");
        spot.put("notices", counts.notices());
        spot.set("bySignal", ComparisonJson.MAPPER.valueToTree(counts.bySignal()));
        spot.put("lastNotice", counts.lastNotice());
        spot.put("checkpointsCompleted", counts.checkpointsCompleted());
        spot.put("checkpointsFailed", counts.checkpointsFailed());
      }
      ArrayNode periods = item.putArray("closedPeriods");
      if (s.closedPeriods() != null) {
        s.closedPeriods().forEach(p -> periods.add(ComparisonJson.MAPPER.valueToTree(p)));
      }
      Boolean priced = priced(s);
      if (priced == null) {
        item.putNull("priced");
      } else {
        item.put("priced", priced);
      }
      item.put("reason", reason(s));
      item.put("message", message(s));
      ArrayNode nodes = item.putArray("nodes");
      if (s.nodes() != null) {
        s.nodes().forEach(n -> nodes.add(ComparisonJson.MAPPER.valueToTree(n)));
      }
    }
    return root;
  }

  /** {@code spares}: null without placeholders; else their count, pending ones and their cost. */
  private static void spares(ObjectNode item, FlinkCostReportStatus.SpareLine line) {
    if (line == null) {
      item.putNull("spares");
      return;
    }
    ObjectNode spares = item.putObject("spares");
    spares.put("pods", line.pods());
    spares.put("pending", line.pending());
    spares.put("usdPerHour", number(line.usdPerHour()));
    spares.put("usdPerMonth", number(line.usdPerMonth()));
  }

  private static void side(ObjectNode side, String perHour, String perMonth, String accumulated) {
    side.put("usdPerHour", number(perHour));
    side.put("usdPerMonth", number(perMonth));
    side.put("accumulatedUsd", number(accumulated));
  }

  private static FlinkCostReportStatus status(FlinkCostReport r) {
    return r.getStatus() == null
        ? new FlinkCostReportStatus(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null)
        : r.getStatus();
  }

  private static Boolean priced(FlinkCostReportStatus s) {
    if (s.conditions() == null) {
      return null;
    }
    return s.conditions().stream()
        .filter(c -> FlinkCostReportStatus.PRICED.equals(c.getType()))
        .map(c -> "True".equals(c.getStatus()))
        .findFirst()
        .orElse(null);
  }

  /**
   * True, False, NotRunning or Closed: a job without TaskManagers is not an unpriced one, and a
   * closed period's totals are final.
   */
  private static String pricedCell(FlinkCostReportStatus s) {
    Boolean priced = priced(s);
    if (priced == null) {
      return "-";
    }
    String reason = reason(s);
    return priced
        ? "True"
        : "NotRunning".equals(reason) || LiveReportStatus.CLOSED.equals(reason) ? reason : "False";
  }

  private static String reason(FlinkCostReportStatus s) {
    if (s.conditions() != null) {
      for (var c : s.conditions()) {
        if (FlinkCostReportStatus.PRICED.equals(c.getType())) {
          return c.getReason();
        }
      }
    }
    return null;
  }

  private static String message(FlinkCostReportStatus s) {
    return s.conditions() == null || s.conditions().isEmpty()
        ? null
        : s.conditions().get(0).getMessage();
  }

  private static BigDecimal number(String decimal) {
    try {
      return decimal == null ? null : new BigDecimal(decimal);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String dash(String text) {
    return text == null ? "-" : text;
  }

  private static String cents(String usd) {
    BigDecimal n = number(usd);
    return n == null ? "-" : n.setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
