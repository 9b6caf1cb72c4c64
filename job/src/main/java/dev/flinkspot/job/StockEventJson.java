package dev.flinkspot.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;

/**
 * Reads the classic stock-ticker JSON record from Kafka: {@code {"ticker": "AMZN", "price": 123.45,
 * "event_time": "2024-01-02T14:30:00Z"}} ({@code event_time} may also be epoch millis).
 */
public class StockEventJson extends AbstractDeserializationSchema<StockEvent> {
  private static final long serialVersionUID = 1L;
  private transient ObjectMapper mapper;

  @Override
  public StockEvent deserialize(byte[] message) throws IOException {
    if (mapper == null) {
      mapper = new ObjectMapper();
    }
    JsonNode n = mapper.readTree(message);
    JsonNode time = n.path("event_time");
    long eventTime = time.isNumber() ? time.asLong() : Instant.parse(time.asText()).toEpochMilli();
    String ticker = n.path("ticker").asText();
    if (ticker.isEmpty() || !n.path("price").isNumber()) {
      throw new IOException("not a stock-ticker event: " + n);
    }
    return new StockEvent(ticker, Prices.parse(n.path("price").asDouble()), eventTime);
  }
}
