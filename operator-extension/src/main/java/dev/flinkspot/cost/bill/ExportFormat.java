package dev.flinkspot.cost.bill;

import java.util.List;

/**
 * The two AWS Data Exports table formats read, with the columns attribution needs. Column names as
 * AWS publishes them: CUR 2.0
 * (https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html, split cost
 * allocation data in table-dictionary-cur2-split-line-item.html) and FOCUS 1.0 with AWS columns
 * (https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-focus-1-0-aws.html).
 */
enum ExportFormat {
  CUR_2_0(
      "CUR 2.0",
      "line_item_unblended_cost",
      List.of(
          "line_item_line_item_type",
          "line_item_usage_start_date",
          "line_item_usage_end_date",
          "line_item_product_code",
          "line_item_usage_type",
          "line_item_resource_id",
          "line_item_unblended_cost",
          "line_item_currency_code"),
      "line_item_currency_code"),
  FOCUS_1(
      "FOCUS 1.x",
      "BilledCost",
      List.of(
          "BilledCost",
          "BillingCurrency",
          "ChargeCategory",
          "ChargePeriodStart",
          "ChargePeriodEnd",
          "ServiceName",
          "ResourceId",
          "PricingCategory",
          "Tags"),
      "BillingCurrency");

  final String label;
  final String marker;
  final List<String> required;
  final String currencyColumn;

  ExportFormat(String label, String marker, List<String> required, String currencyColumn) {
    this.label = label;
    this.marker = marker;
    this.required = required;
    this.currencyColumn = currencyColumn;
  }

  /** The CUR 2.0 split cost allocation columns: all of them, or the export has no split data. */
  static final List<String> SPLIT_COLUMNS =
      List.of(
          "split_line_item_parent_resource_id",
          "split_line_item_split_cost",
          "split_line_item_unused_cost");
}
