package dev.flinkspot.cost.refresh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One product of the AWS Price List ({@code GetProducts} returns each as a JSON string): its SKU,
 * attributes, and the USD rates of its On-Demand terms.
 */
record PriceListProduct(String sku, Map<String, String> attributes, List<Rate> onDemandRates) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** One price dimension of an On-Demand term. */
  record Rate(BigDecimal usd, String unit, String beginRange, String description) {}

  String attribute(String name) {
    return attributes.get(name);
  }

  /**
   * The first-tier USD rate (begin range 0), or null when the product has none or its first-tier
   * rates disagree.
   */
  BigDecimal firstTierUsd() {
    BigDecimal found = null;
    for (Rate rate : onDemandRates) {
      if (rate.usd() == null || !isFirstTier(rate.beginRange())) {
        continue;
      }
      if (found != null && found.compareTo(rate.usd()) != 0) {
        return null;
      }
      found = rate.usd();
    }
    return found;
  }

  /** The unit of the first-tier rate as AWS names it ("Hrs", "GB-Mo"), or null. */
  String firstTierUnit() {
    return onDemandRates.stream()
        .filter(r -> isFirstTier(r.beginRange()))
        .map(Rate::unit)
        .findFirst()
        .orElse(null);
  }

  private static boolean isFirstTier(String beginRange) {
    if (beginRange == null || beginRange.isEmpty()) {
      return true;
    }
    try {
      return new BigDecimal(beginRange).signum() == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Parses one price-list document.
   *
   * @throws PriceSourceException when the document is not price-list JSON
   */
  static PriceListProduct parse(String document) {
    JsonNode root;
    try {
      root = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      throw new PriceSourceException(
          "AWS Pricing GetProducts returned a price list entry that is not JSON: "
              + e.getOriginalMessage(),
          e);
    }
    JsonNode product = root.path("product");
    Map<String, String> attributes = new LinkedHashMap<>();
    product
        .path("attributes")
        .properties()
        .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
    List<Rate> rates = new ArrayList<>();
    for (JsonNode term : iterable(root.path("terms").path("OnDemand").elements())) {
      for (JsonNode dimension : iterable(term.path("priceDimensions").elements())) {
        JsonNode usd = dimension.path("pricePerUnit").path("USD");
        rates.add(
            new Rate(
                decimal(usd.asText(null)),
                dimension.path("unit").asText(null),
                dimension.path("beginRange").asText(null),
                dimension.path("description").asText(null)));
      }
    }
    return new PriceListProduct(product.path("sku").asText(null), attributes, List.copyOf(rates));
  }

  private static BigDecimal decimal(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static <T> Iterable<T> iterable(Iterator<T> iterator) {
    return () -> iterator;
  }
}
