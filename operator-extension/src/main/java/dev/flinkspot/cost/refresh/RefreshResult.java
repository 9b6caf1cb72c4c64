package dev.flinkspot.cost.refresh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.cost.catalog.CatalogLoader;
import dev.flinkspot.cost.catalog.Figure;
import dev.flinkspot.cost.catalog.PriceCatalog.ManagedFlinkPrices;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one refresh found for a region: the figures AWS returned, what it did not return, and which
 * APIs failed. It renders as a price file ({@code --prices}) holding only the refreshed figures.
 */
public record RefreshResult(
    String region,
    LocalDate asOf,
    ManagedFlinkPrices managedFlink,
    Map<String, Figure> onDemandHour,
    Map<String, Figure> spotHour,
    List<String> missing) {

  /** Writes the tree built with the catalog's mapper; one line per source, however long. */
  private static final ObjectMapper WRITER =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  public RefreshResult {
    onDemandHour = Map.copyOf(onDemandHour);
    spotHour = Map.copyOf(spotHour);
    missing = List.copyOf(missing);
  }

  /** How many figures were refreshed. */
  public int figureCount() {
    int managed = 0;
    if (managedFlink != null) {
      managed += managedFlink.kpuHour() == null ? 0 : 1;
      managed += managedFlink.runningStorageGbMonth() == null ? 0 : 1;
      managed += managedFlink.durableBackupGbMonth() == null ? 0 : 1;
    }
    return managed + onDemandHour.size() + spotHour.size();
  }

  /** One line: what was refreshed and what is missing. */
  public String summary(String destination) {
    int managed = figureCount() - onDemandHour.size() - spotHour.size();
    return region
        + ", as of "
        + asOf
        + ": wrote "
        + spotHour.size()
        + " Spot, "
        + onDemandHour.size()
        + " On-Demand and "
        + managed
        + " Managed Flink figures to "
        + destination
        + (missing.isEmpty()
            ? "; nothing missing"
            : "; missing (the built-in catalog still applies there): "
                + String.join("; ", missing));
  }

  /**
   * The price file: {@code catalogVersion} and {@code regions.<region>} with the refreshed figures
   * only, so that {@code --prices} lays them over the built-in catalog and keeps everything else.
   */
  public String toYaml(String header) {
    ObjectNode root = CatalogLoader.MAPPER.createObjectNode();
    root.put("catalogVersion", 1);
    ObjectNode regionNode = root.putObject("regions").putObject(region);
    if (managedFlink != null) {
      regionNode.set("managedFlink", CatalogLoader.MAPPER.valueToTree(managedFlink));
    }
    if (!onDemandHour.isEmpty() || !spotHour.isEmpty()) {
      ObjectNode ec2 = regionNode.putObject("ec2");
      if (!onDemandHour.isEmpty()) {
        ec2.set("onDemandHour", CatalogLoader.MAPPER.valueToTree(new TreeMap<>(onDemandHour)));
      }
      if (!spotHour.isEmpty()) {
        ec2.set("spotHour", CatalogLoader.MAPPER.valueToTree(new TreeMap<>(spotHour)));
      }
    }
    quoteValues(root);
    try {
      return header + WRITER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prices as strings, like the built-in catalog: no float formatting on the way back in. */
  private static void quoteValues(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode value = object.get("value");
      if (value != null && value.isNumber()) {
        object.put("value", plain(value.decimalValue()).toPlainString());
      }
      List<JsonNode> children = new ArrayList<>();
      object.elements().forEachRemaining(children::add);
      children.forEach(RefreshResult::quoteValues);
    }
  }

  /** A price without trailing zeros and never in exponent form. */
  static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
