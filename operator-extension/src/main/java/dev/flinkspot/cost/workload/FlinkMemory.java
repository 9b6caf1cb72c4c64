package dev.flinkspot.cost.workload;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Locale;
import org.apache.flink.configuration.MemorySize;

/**
 * Parses {@code resource.memory} the way the Flink Kubernetes Operator does: Flink's MemorySize
 * syntax first ({@code 2048m} is 2048 MiB), Kubernetes quantity syntax as the fallback ({@code
 * 2Gi}).
 */
final class FlinkMemory {
  private FlinkMemory() {}

  /** Bytes, or {@link IllegalArgumentException} when neither syntax accepts the text. */
  static long parseBytes(String memory) {
    try {
      return MemorySize.parse(memory).getBytes();
    } catch (IllegalArgumentException notFlinkSyntax) {
      String quantity = memory.trim().replaceAll("\\s", "").toUpperCase(Locale.ROOT);
      if (quantity.endsWith("B")) {
        quantity = quantity.substring(0, quantity.length() - 1);
      }
      if (quantity.endsWith("I")) {
        quantity = quantity.substring(0, quantity.length() - 1) + "i";
      }
      return Quantity.getAmountInBytes(Quantity.parse(quantity)).longValueExact();
    }
  }
}
