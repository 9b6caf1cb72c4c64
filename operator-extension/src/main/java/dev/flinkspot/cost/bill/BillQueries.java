package dev.flinkspot.cost.bill;

import java.util.Map;
import java.util.Set;

/**
 * The SQL that turns an export into normalised cost rows (view {@code r}), one shape for both
 * formats: when, what kind of charge, which service, which pod or resource, its cost, and for split
 * cost allocation rows the parent instance and the split and unused cost.
 */
public final class BillQueries {
  private BillQueries() {}

  /** Tag keys to look up, by role, in the export's tag map (resource_tags or Tags). */
  public record TagKeys(String app, String component, String policy, String namespace) {}

  static String normalisedView(
      ExportFormat format, Map<String, String> columnTypes, String source, TagKeys tags) {
    Set<String> columns = columnTypes.keySet();
    boolean text = columnTypes.values().stream().allMatch(t -> t.equals("VARCHAR"));
    return format == ExportFormat.CUR_2_0
        ? cur(columns, columnTypes, source, tags, text)
        : focus(columns, columnTypes, source, tags, text);
  }

  private static String cur(
      Set<String> columns, Map<String, String> types, String source, TagKeys tags, boolean text) {
    boolean split = columns.containsAll(ExportFormat.SPLIT_COLUMNS);
    String tagColumn = columns.contains("resource_tags") ? "resource_tags" : null;
    String tagType = tagColumn == null ? null : types.get(tagColumn);
    return """
        CREATE OR REPLACE TEMP VIEW r AS
        SELECT start_ts, end_ts, kind, service, capacity, resource, cost, parent, split_cost,
               unused_cost, job, namespace, component, policy
        FROM (
          SELECT
            CAST(line_item_usage_start_date AS TIMESTAMP) AS start_ts,
            CAST(line_item_usage_end_date AS TIMESTAMP) AS end_ts,
            CASE line_item_line_item_type
              WHEN 'Usage' THEN 'usage' WHEN 'DiscountedUsage' THEN 'usage'
              WHEN 'SavingsPlanCoveredUsage' THEN 'usage'
              WHEN 'Credit' THEN 'credits' WHEN 'Refund' THEN 'refunds'
              WHEN 'SavingsPlanNegation' THEN 'savings plans and reservations'
              WHEN 'SavingsPlanRecurringFee' THEN 'savings plans and reservations'
              WHEN 'SavingsPlanUpfrontFee' THEN 'savings plans and reservations'
              WHEN 'RIFee' THEN 'savings plans and reservations'
              WHEN 'Tax' THEN 'tax'
              WHEN 'EdpDiscount' THEN 'discounts' WHEN 'BundledDiscount' THEN 'discounts'
              WHEN 'PrivateRateDiscount' THEN 'discounts' WHEN 'DistributorDiscount' THEN 'discounts'
              WHEN 'Fee' THEN 'fees'
              ELSE 'other adjustments' END AS kind,
            CASE
              WHEN line_item_product_code = 'AmazonEC2' AND line_item_resource_id LIKE 'i-%%'
                   AND (line_item_usage_type LIKE '%%BoxUsage%%' OR line_item_usage_type LIKE '%%SpotUsage%%'
                        OR line_item_usage_type LIKE '%%DedicatedUsage%%') THEN 'ec2-instance'
              WHEN line_item_product_code = 'AmazonEKS' THEN 'eks'
              WHEN line_item_usage_type LIKE '%%EBS:%%' THEN 'ebs'
              WHEN line_item_product_code = 'AWSDataTransfer' OR line_item_usage_type LIKE '%%DataTransfer%%'
                THEN 'data-transfer'
              ELSE 'other' END AS service,
            CASE WHEN line_item_usage_type LIKE '%%SpotUsage%%' THEN 'Spot'
                 WHEN line_item_usage_type LIKE '%%BoxUsage%%' OR line_item_usage_type LIKE '%%DedicatedUsage%%'
                   THEN 'On-Demand' END AS capacity,
            line_item_resource_id AS resource,
            %s AS cost,
            %s AS parent,
            %s AS split_cost,
            %s AS unused_cost,
            %s AS job, %s AS namespace, %s AS component, %s AS policy
          FROM %s)
        """
        .formatted(
            number("line_item_unblended_cost", text),
            split ? "NULLIF(split_line_item_parent_resource_id, '')" : "CAST(NULL AS VARCHAR)",
            split ? number("split_line_item_split_cost", text) : "0",
            split ? number("split_line_item_unused_cost", text) : "0",
            tag(tagColumn, tagType, tags.app()),
            tag(tagColumn, tagType, tags.namespace()),
            tag(tagColumn, tagType, tags.component()),
            tag(tagColumn, tagType, tags.policy()),
            source);
  }

  private static String focus(
      Set<String> columns, Map<String, String> types, String source, TagKeys tags, boolean text) {
    String kind =
        columns.contains("ChargeClass")
            ? "CASE WHEN ChargeClass = 'Correction' THEN 'refunds' ELSE %s END"
            : "%s";
    String byCategory =
        """
        CASE ChargeCategory WHEN 'Usage' THEN 'usage' WHEN 'Credit' THEN 'credits'
          WHEN 'Adjustment' THEN 'refunds' WHEN 'Purchase' THEN 'savings plans and reservations'
          WHEN 'Tax' THEN 'tax' ELSE 'other adjustments' END""";
    String tagType = types.get("Tags");
    return """
        CREATE OR REPLACE TEMP VIEW r AS
        SELECT
          CAST(ChargePeriodStart AS TIMESTAMP) AS start_ts,
          CAST(ChargePeriodEnd AS TIMESTAMP) AS end_ts,
          %s AS kind,
          CASE
            WHEN ServiceName = 'Amazon Elastic Compute Cloud' AND ResourceId LIKE 'i-%%' THEN 'ec2-instance'
            WHEN ServiceName = 'Amazon Elastic Kubernetes Service' THEN 'eks'
            WHEN ResourceId LIKE 'vol-%%' THEN 'ebs'
            WHEN ServiceName LIKE '%%Data Transfer%%' THEN 'data-transfer'
            ELSE 'other' END AS service,
          CASE WHEN PricingCategory = 'Dynamic' THEN 'Spot'
               WHEN ServiceName = 'Amazon Elastic Compute Cloud' AND ResourceId LIKE 'i-%%' THEN 'On-Demand'
               END AS capacity,
          ResourceId AS resource,
          %s AS cost,
          CAST(NULL AS VARCHAR) AS parent,
          0 AS split_cost,
          0 AS unused_cost,
          %s AS job, %s AS namespace, %s AS component, %s AS policy
        FROM %s
        """
        .formatted(
            kind.formatted(byCategory),
            number("BilledCost", text),
            tag("Tags", tagType, tags.app()),
            tag("Tags", tagType, tags.namespace()),
            tag("Tags", tagType, tags.component()),
            tag("Tags", tagType, tags.policy()),
            source);
  }

  /** Cost in every row, as the export gives it, in DECIMAL: exact sums. */
  static final String COSTS =
      """
      WITH split_parents AS (
        SELECT DISTINCT parent, start_ts FROM r WHERE parent IS NOT NULL),
      instances AS (
        SELECT resource, start_ts, any_value(capacity) AS capacity FROM r
        WHERE parent IS NULL AND service = 'ec2-instance' AND kind = 'usage' GROUP BY ALL)
      SELECT CAST(date_trunc('day', day) AS DATE) AS day, bucket, job, namespace, component, policy,
             capacity, sum(usd) AS usd
      FROM (
        SELECT r.start_ts AS day,
          CASE WHEN r.kind <> 'usage' THEN 'adjustment:' || r.kind
               WHEN r.job IS NOT NULL AND r.component IN ('jobmanager', 'taskmanager') THEN 'job'
               WHEN r.service = 'ec2-instance' THEN 'shared:EC2 instances without split data'
               WHEN r.service = 'eks' THEN 'shared:EKS control plane'
               WHEN r.service = 'ebs' THEN 'shared:EBS volumes'
               WHEN r.service = 'data-transfer' THEN 'shared:data transfer'
               ELSE 'shared:other usage' END AS bucket,
          r.job, r.namespace, r.component, r.policy, r.capacity, r.cost AS usd
        FROM r LEFT JOIN split_parents p ON r.resource = p.parent AND r.start_ts = p.start_ts
        WHERE r.parent IS NULL
          AND (p.parent IS NULL OR r.service <> 'ec2-instance' OR r.kind <> 'usage')
        UNION ALL
        SELECT s.start_ts,
          CASE WHEN s.job IS NOT NULL AND s.component IN ('jobmanager', 'taskmanager') THEN 'job'
               ELSE 'shared:other pods (system, non-Flink)' END,
          s.job, s.namespace, s.component, s.policy, i.capacity, s.split_cost
        FROM r s LEFT JOIN instances i ON s.parent = i.resource AND s.start_ts = i.start_ts
        WHERE s.parent IS NOT NULL
        UNION ALL
        SELECT s.start_ts, 'shared:idle share of nodes', NULL, NULL, NULL, NULL, i.capacity,
               s.unused_cost
        FROM r s LEFT JOIN instances i ON s.parent = i.resource AND s.start_ts = i.start_ts
        WHERE s.parent IS NOT NULL)
      GROUP BY ALL
      """;

  /** Each split instance line against the split rows that share it out. */
  static final String SPLIT_CHECK =
      """
      SELECT count(*) AS lines, coalesce(max(abs(i.cost - s.shared)), 0) AS worst,
             coalesce(sum(i.cost), 0) AS instance_cost, coalesce(sum(s.shared), 0) AS split_total
      FROM (SELECT parent, start_ts, sum(split_cost + unused_cost) AS shared FROM r
            WHERE parent IS NOT NULL GROUP BY ALL) s
      JOIN (SELECT resource, start_ts, sum(cost) AS cost FROM r
            WHERE parent IS NULL AND service = 'ec2-instance' AND kind = 'usage' GROUP BY ALL) i
        ON s.parent = i.resource AND s.start_ts = i.start_ts
      """;

  /** TaskManager pods (or TaskManager-tagged instances) per job per usage period. */
  static final String TASK_MANAGERS =
      """
      SELECT job, namespace, start_ts, end_ts, count(DISTINCT resource) AS taskmanagers
      FROM r WHERE job IS NOT NULL AND component = 'taskmanager' AND kind = 'usage'
        AND (parent IS NOT NULL OR service = 'ec2-instance')
      GROUP BY ALL ORDER BY start_ts
      """;

  static String number(String column, boolean text) {
    return text
        ? "coalesce(TRY_CAST(NULLIF(" + column + ", '') AS DECIMAL(38,12)), 0)"
        : "coalesce(CAST(" + column + " AS DECIMAL(38,12)), 0)";
  }

  /** A tag's value from a MAP column (Parquet) or a JSON object in text (CSV); null if absent. */
  static String tag(String column, String type, String key) {
    if (column == null || type == null) {
      return "CAST(NULL AS VARCHAR)";
    }
    String k = ExportFiles.quote(key);
    if (type.startsWith("MAP")) {
      return "NULLIF(CAST(" + column + "[" + k + "] AS VARCHAR), '')";
    }
    return "NULLIF(json_extract_string(NULLIF("
        + column
        + ", ''), "
        + ExportFiles.quote("$.\"" + key.replace("\"", "") + "\"")
        + "), '')";
  }
}
