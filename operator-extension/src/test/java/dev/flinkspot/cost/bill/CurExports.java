package dev.flinkspot.cost.bill;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small AWS Data Exports files for the tests, with the column names AWS publishes for CUR
 * 2.0 (https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html: line_item_*,
 * bill_*, pricing_term, resource_tags as a map; split cost allocation data for EKS:
 * https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-split-line-item.html) and
 * FOCUS 1.0 (https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-focus-1-0-aws.html).
 */
final class CurExports {
  static final String CLUSTER_POD = "arn:aws:eks:us-east-1:111122223333:pod/prod/";

  private final List<String> rows = new ArrayList<>();

  /**
   * One CUR 2.0 line. {@code tags} is a DuckDB MAP literal or NULL; {@code parent} non-null makes
   * it a split cost allocation row of that instance.
   */
  CurExports line(
      String start,
      String type,
      String product,
      String usageType,
      String resource,
      String cost,
      String currency,
      String parent,
      String splitCost,
      String unusedCost,
      String tags) {
    String period = start.substring(0, 7) + "-01";
    rows.add(
        String.join(
            ", ",
            q(period + " 00:00:00"),
            q(start),
            q(plusHour(start)),
            q(type),
            q(product),
            q(usageType),
            q(resource),
            cost,
            q(currency),
            q(usageType.contains("Spot") ? "Spot" : "OnDemand"),
            parent == null ? "NULL" : q(parent),
            splitCost == null ? "NULL" : splitCost,
            unusedCost == null ? "NULL" : unusedCost,
            tags == null ? "MAP {}::MAP(VARCHAR, VARCHAR)" : tags));
    return this;
  }

  /** A usage line of an instance, a service, or a charge without resource. */
  CurExports usage(String start, String product, String usageType, String resource, String cost) {
    return line(start, "Usage", product, usageType, resource, cost, "USD", null, null, null, null);
  }

  /** A split cost allocation row: a pod's share of an instance line. */
  CurExports pod(
      String start,
      String usageType,
      String instance,
      String pod,
      String split,
      String unused,
      String tags) {
    return line(
        start,
        "Usage",
        "AmazonEC2",
        usageType,
        CLUSTER_POD + pod,
        "0",
        "USD",
        instance,
        split,
        unused,
        tags);
  }

  static String flinkTags(String app, String component) {
    return "MAP {'user_app': '"
        + app
        + "', 'user_component': '"
        + component
        + "', 'aws_eks_namespace': 'flink', 'user_flinkspot_dev_policy': 'spot-taskmanagers'}";
  }

  /**
   * The hand-computed fixture: two hours across a month boundary (2026-07-31 23:00 and 2026-08-01
   * 00:00). Per hour: a Spot m5.xlarge ($0.08) split between two TaskManagers (0.035 + 0.005 idle
   * each); an On-Demand m5.large ($0.096) split between the JobManager (0.040 + 0.016) and coredns
   * (0.020 + 0.020); a system m5.large without split data ($0.096); the EKS control plane ($0.10),
   * EBS ($0.02), data transfer ($0.01). Once: a refund (-1.00), a credit (-0.50), tax (0.30).
   */
  static CurExports handComputed() {
    CurExports e = new CurExports();
    for (String h : new String[] {"2026-07-31 23:00:00", "2026-08-01 00:00:00"}) {
      String suffix = h.substring(8, 10);
      e.usage(h, "AmazonEC2", "USE1-SpotUsage:m5.xlarge", "i-spot1", "0.08");
      e.pod(
          h,
          "USE1-SpotUsage:m5.xlarge",
          "i-spot1",
          "flink/stock-ticker-taskmanager-1-1/u1" + suffix,
          "0.035",
          "0.005",
          flinkTags("stock-ticker", "taskmanager"));
      e.pod(
          h,
          "USE1-SpotUsage:m5.xlarge",
          "i-spot1",
          "flink/stock-ticker-taskmanager-1-2/u2" + suffix,
          "0.035",
          "0.005",
          flinkTags("stock-ticker", "taskmanager"));
      e.usage(h, "AmazonEC2", "USE1-BoxUsage:m5.large", "i-od1", "0.096");
      e.pod(
          h,
          "USE1-BoxUsage:m5.large",
          "i-od1",
          "flink/stock-ticker-7d9/u3" + suffix,
          "0.040",
          "0.016",
          flinkTags("stock-ticker", "jobmanager"));
      e.pod(
          h,
          "USE1-BoxUsage:m5.large",
          "i-od1",
          "kube-system/coredns-1/u4" + suffix,
          "0.020",
          "0.020",
          "MAP {'aws_eks_namespace': 'kube-system'}");
      e.usage(h, "AmazonEC2", "USE1-BoxUsage:m5.large", "i-sys", "0.096");
      e.usage(
          h,
          "AmazonEKS",
          "USE1-AmazonEKS-Hours:perCluster",
          "arn:aws:eks:us-east-1:111122223333:cluster/prod",
          "0.10");
      e.usage(h, "AmazonEC2", "USE1-EBS:VolumeUsage.gp3", "vol-1", "0.02");
      e.usage(h, "AWSDataTransfer", "USE1-DataTransfer-Regional-Bytes", "i-spot1", "0.01");
    }
    e.line(
        "2026-08-01 00:00:00",
        "Refund",
        "AmazonEC2",
        "USE1-BoxUsage:m5.large",
        "",
        "-1.00",
        "USD",
        null,
        null,
        null,
        null);
    e.line(
        "2026-08-01 00:00:00",
        "Credit",
        "AmazonEC2",
        "",
        "",
        "-0.50",
        "USD",
        null,
        null,
        null,
        null);
    e.line(
        "2026-08-01 00:00:00", "Tax", "AmazonEC2", "", "", "0.30", "USD", null, null, null, null);
    return e;
  }

  /** Writes the rows as Parquet, CSV or gzip CSV; {@code drop} leaves a column out. */
  Path write(Path file, String drop) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute(
          "CREATE TABLE cur AS SELECT * FROM (VALUES ("
              + String.join("), (", rows)
              + ")) t(bill_billing_period_start_date, line_item_usage_start_date,"
              + " line_item_usage_end_date, line_item_line_item_type, line_item_product_code,"
              + " line_item_usage_type, line_item_resource_id, line_item_unblended_cost,"
              + " line_item_currency_code, pricing_term, split_line_item_parent_resource_id,"
              + " split_line_item_split_cost, split_line_item_unused_cost, resource_tags)");
      if (drop != null) {
        sql.execute("ALTER TABLE cur DROP COLUMN " + drop);
      }
      String name = file.getFileName().toString();
      String select =
          name.endsWith(".parquet")
              ? "SELECT * FROM cur"
              : "SELECT * REPLACE (to_json(resource_tags)::VARCHAR AS resource_tags) FROM cur";
      String options =
          name.endsWith(".parquet")
              ? "(FORMAT parquet)"
              : name.endsWith(".gz")
                  ? "(FORMAT csv, HEADER, COMPRESSION gzip)"
                  : "(FORMAT csv, HEADER)";
      if (drop != null && drop.equals("resource_tags") && !name.endsWith(".parquet")) {
        select = "SELECT * FROM cur";
      }
      sql.execute("COPY (" + select + ") TO '" + file + "' " + options);
    }
    return file;
  }

  private static String q(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String plusHour(String start) {
    return java.time.LocalDateTime.parse(start.replace(' ', 'T'))
            .plusHours(1)
            .toString()
            .replace('T', ' ')
        + (start.length() > 16 ? ":00" : "");
  }
}
