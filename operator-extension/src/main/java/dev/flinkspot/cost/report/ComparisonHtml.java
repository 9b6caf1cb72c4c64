package dev.flinkspot.cost.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.cost.CostComparison;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A self-contained HTML report: the figures as tables and a stacked bar chart of both bills by
 * component, drawn by Chart.js (inlined from its WebJar, so the file needs no network).
 */
public final class ComparisonHtml {
  private static final String CHART_JS =
      "/META-INF/resources/webjars/chart.js/%s/dist/chart.umd.min.js";
  private static final String TEMPLATE = "/dev/flinkspot/cost/report/report.html";

  private ComparisonHtml() {}

  public static String render(List<CostComparison> comparisons, List<String> skipped) {
    ArrayNode reports = ComparisonJson.MAPPER.createArrayNode();
    for (CostComparison c : comparisons) {
      ObjectNode report = ComparisonJson.toJson(c);
      reports.add(report);
    }
    ArrayNode skippedNode = ComparisonJson.MAPPER.createArrayNode();
    skipped.forEach(skippedNode::add);
    String data;
    try {
      ObjectNode root = ComparisonJson.MAPPER.createObjectNode();
      root.set("reports", reports);
      root.set("skippedDocuments", skippedNode);
      data = ComparisonJson.MAPPER.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return resource(TEMPLATE)
        .replace("/*CHART_JS*/", scriptSafe(chartJs()))
        .replace("/*REPORT_DATA*/null", scriptSafe(data));
  }

  public static String chartJs() {
    String version = chartJsVersion();
    return resource(String.format(CHART_JS, version));
  }

  static String chartJsVersion() {
    String pom = resource("/META-INF/maven/org.webjars.npm/chart.js/pom.properties");
    return pom.lines()
        .filter(l -> l.startsWith("version="))
        .map(l -> l.substring("version=".length()).trim())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("chart.js webjar has no version"));
  }

  /** Keeps inlined text from closing the surrounding script element. */
  public static String scriptSafe(String text) {
    return text.replace("</", "<\\/").replace("<!--", "<\\!--");
  }

  public static String resource(String path) {
    try (InputStream in = ComparisonHtml.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
