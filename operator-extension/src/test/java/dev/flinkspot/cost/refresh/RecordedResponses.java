package dev.flinkspot.cost.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pricing {@code GetProducts} responses in the API's wire shape ({@code FormatVersion}, {@code
 * PriceList} of JSON strings), kept under {@code src/test/resources/dev/flinkspot/cost/refresh}.
 */
final class RecordedResponses {
  static final String EC2_US_EAST_2 = "getproducts-amazonec2-us-east-2.json";
  static final String MANAGED_FLINK_US_EAST_2 = "getproducts-amazonkinesisanalytics-us-east-2.json";

  private RecordedResponses() {}

  /** The {@code PriceList} of a recorded response: one JSON document per product. */
  static List<String> priceList(String name) {
    try (InputStream in = RecordedResponses.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      JsonNode response = new ObjectMapper().readTree(in);
      List<String> documents = new ArrayList<>();
      response.path("PriceList").forEach(entry -> documents.add(entry.asText()));
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
