package dev.flinkspot.cost.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkspot.cost.Bill;
import dev.flinkspot.cost.CostComparison;
import dev.flinkspot.cost.CostLine;
import dev.flinkspot.cost.ManagedFlinkBill;
import java.util.List;

/**
 * The JSON contract of {@code flinkspot cost --format json}: one object per comparison with {@code
 * managed}, {@code selfManaged}, {@code savingsUsd}, {@code savingsPercent}, {@code assumptions}
 * and {@code prices}. Money is rounded to cents here, and only here.
 */
public final class ComparisonJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ComparisonJson() {}

  /** One comparison as a JSON object. */
  public static ObjectNode toJson(CostComparison comparison) {
    ObjectNode root = NODES.objectNode();
    root.put("deployment", comparison.workload().qualifiedName());
    root.put("region", comparison.region());
    root.put("hours", comparison.options().hours());
    root.put("parallelism", comparison.workload().parallelism());
    root.put("taskManagers", comparison.workload().taskManagerReplicas());
    root.put("jobManagers", comparison.workload().jobManagerReplicas());
    root.put("complete", comparison.complete());
    root.set("managed", managed(comparison.managed()));
    root.set("managedResourceEquivalent", managed(comparison.managedResourceEquivalent()));
    if (comparison.selfManaged() == null) {
      root.putNull("selfManaged");
    } else {
      ObjectNode self = NODES.objectNode();
      self.put("view", comparison.options().view().name().toLowerCase(java.util.Locale.ROOT));
      self.put("totalUsd", CostComparison.cents(comparison.selfManagedHeadline().totalUsd()));
      self.put("jobManagerNodes", comparison.selfManaged().jobManagerNodes());
      self.put("taskManagerNodes", comparison.selfManaged().taskManagerNodes());
      self.put("interAzUsd", CostComparison.cents(comparison.selfManaged().interAzUsd()));
      self.set("dedicated", bill(comparison.selfManaged().dedicated()));
      self.set("shared", bill(comparison.selfManaged().shared()));
      root.set("selfManaged", self);
    }
    if (comparison.emrOnEks() == null) {
      ObjectNode emr = root.putObject("emrOnEks");
      emr.putNull("totalUsd");
      emr.put("title", "EMR on EKS (not priced: see missingFigures)");
    } else {
      ObjectNode emr = bill(comparison.emrOnEks().bill());
      emr.put("requestedVcpu", comparison.emrOnEks().vcpus());
      emr.put("requestedMemoryGiB", comparison.emrOnEks().memoryGiB());
      root.set("emrOnEks", emr);
    }
    root.put(
        "savingsUsd",
        comparison.savingsUsd() == null ? null : CostComparison.cents(comparison.savingsUsd()));
    root.put("savingsPercent", comparison.savingsPercent());
    ArrayNode missing = root.putArray("missingFigures");
    comparison.missingFigures().forEach(missing::add);
    ArrayNode assumptions = root.putArray("assumptions");
    comparison.assumptions().forEach(assumptions::add);
    ObjectNode prices = root.putObject("prices");
    prices.put("asOf", comparison.pricesAsOf() == null ? null : comparison.pricesAsOf().toString());
    prices.put("region", comparison.region());
    return root;
  }

  /**
   * The document for a whole run: the comparison itself when there is one, otherwise {@code
   * {"reports": [...]}}; either way with the documents skipped.
   */
  public static String render(List<CostComparison> comparisons, List<String> skipped) {
    ObjectNode root;
    if (comparisons.size() == 1) {
      root = toJson(comparisons.get(0));
    } else {
      root = NODES.objectNode();
      ArrayNode reports = root.putArray("reports");
      comparisons.forEach(c -> reports.add(toJson(c)));
    }
    ArrayNode skippedNode = root.putArray("skippedDocuments");
    skipped.forEach(skippedNode::add);
    try {
      return MAPPER.writeValueAsString(root) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode managed(ManagedFlinkBill managed) {
    if (managed == null) {
      return null;
    }
    ObjectNode node = bill(managed.bill());
    node.put("parallelism", managed.parallelism());
    node.put("parallelismPerKpu", managed.parallelismPerKpu());
    node.put("applicationKpus", managed.applicationKpus());
    node.put("billedKpus", managed.billedKpus());
    return node;
  }

  private static ObjectNode bill(Bill bill) {
    ObjectNode node = NODES.objectNode();
    node.put("title", bill.title());
    node.put("totalUsd", CostComparison.cents(bill.totalUsd()));
    ArrayNode lines = node.putArray("lines");
    for (CostLine line : bill.lines()) {
      lines
          .addObject()
          .put("component", line.component())
          .put("usd", CostComparison.cents(line.usd()))
          .put("basis", line.basis());
    }
    return node;
  }
}
