package dev.flinkspot.cost.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flinkspot.common.UserInputException;
import dev.flinkspot.common.YamlFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads the built-in catalog and merges a user's price file over it. A price file has the catalog's
 * own shape and may hold any subset of it; each figure it names replaces the built-in one whole.
 * Parsing is strict: an unknown key or a bad value is an error naming the field.
 */
public final class CatalogLoader {
  private static final String BUILT_IN = "/dev/flinkspot/cost/catalog.yaml";

  /** The mapper for catalog files: YAML (a superset of JSON), dates as ISO strings. */
  public static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private CatalogLoader() {}

  /** The built-in catalog shipped in the jar. */
  public static PriceCatalog builtIn() {
    return bind(builtInTree(), "the built-in catalog");
  }

  /** The built-in catalog with the figures of {@code priceFile} laid over it. */
  public static PriceCatalog withOverrides(Path priceFile) {
    JsonNode override = YamlFiles.readTree(MAPPER, priceFile, "--prices " + priceFile);
    if (!(override instanceof ObjectNode overrideObject)) {
      throw new UserInputException(
          "--prices " + priceFile + ": expected a mapping with 'regions' and/or 'instanceTypes'");
    }
    ObjectNode merged = builtInTree();
    merge(merged, overrideObject);
    return bind(merged, "--prices " + priceFile);
  }

  private static ObjectNode builtInTree() {
    try (InputStream in = CatalogLoader.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("built-in catalog missing from the jar: " + BUILT_IN);
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deep merge; a figure (an object with a {@code value}) or a scalar is replaced whole. */
  static void merge(ObjectNode target, ObjectNode source) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = target.get(field.getKey());
      JsonNode incoming = field.getValue();
      if (existing instanceof ObjectNode existingObject
          && incoming instanceof ObjectNode incomingObject
          && !incoming.has("value")) {
        merge(existingObject, incomingObject);
      } else {
        target.set(field.getKey(), incoming);
      }
    }
  }

  private static PriceCatalog bind(ObjectNode tree, String origin) {
    PriceCatalog catalog;
    try {
      catalog = MAPPER.treeToValue(tree, PriceCatalog.class);
    } catch (JsonMappingException e) {
      throw new UserInputException(
          origin + ": field '" + path(e) + "': " + YamlFiles.firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new UserInputException(origin + ": " + YamlFiles.firstLine(e.getOriginalMessage()));
    }
    validate(catalog, origin);
    return catalog;
  }

  private static void validate(PriceCatalog catalog, String origin) {
    if (catalog.hoursPerMonth() == null || catalog.hoursPerMonth().signum() <= 0) {
      throw new UserInputException(origin + ": field 'hoursPerMonth' must be a positive number");
    }
    catalog.regions().forEach((region, prices) -> validateRegion(origin, region, prices));
    catalog
        .instanceTypes()
        .forEach(
            (type, spec) -> {
              String at = origin + ": field 'instanceTypes." + type;
              if (spec == null || spec.vcpu() <= 0) {
                throw new UserInputException(at + ".vcpu' must be a positive integer");
              }
              if (spec.memoryGiB() == null || spec.memoryGiB().signum() <= 0) {
                throw new UserInputException(at + ".memoryGiB' must be a positive number");
              }
              if (spec.maxPods() <= 0) {
                throw new UserInputException(at + ".maxPods' must be a positive integer");
              }
            });
  }

  private static void validateRegion(String origin, String region, PriceCatalog.RegionPrices p) {
    String at = origin + ": field 'regions." + region + ".";
    if (p == null) {
      return;
    }
    if (p.managedFlink() != null) {
      checkFigure(at + "managedFlink.kpuHour'", p.managedFlink().kpuHour(), false);
      checkFigure(
          at + "managedFlink.runningStorageGbMonth'",
          p.managedFlink().runningStorageGbMonth(),
          false);
      checkFigure(
          at + "managedFlink.durableBackupGbMonth'",
          p.managedFlink().durableBackupGbMonth(),
          false);
    }
    if (p.eks() != null) {
      checkFigure(at + "eks.controlPlaneHour'", p.eks().controlPlaneHour(), false);
    }
    if (p.storage() != null) {
      checkFigure(at + "storage.s3StandardGbMonth'", p.storage().s3StandardGbMonth(), false);
      checkFigure(at + "storage.ebsGp3GbMonth'", p.storage().ebsGp3GbMonth(), false);
    }
    if (p.network() != null) {
      checkFigure(at + "network.interAzGbEachWay'", p.network().interAzGbEachWay(), false);
    }
    if (p.emrOnEks() != null) {
      checkFigure(at + "emrOnEks.vcpuHour'", p.emrOnEks().vcpuHour(), false);
      checkFigure(at + "emrOnEks.memoryGbHour'", p.emrOnEks().memoryGbHour(), false);
    }
    if (p.ec2() != null) {
      checkFigure(at + "ec2.spotDiscount'", p.ec2().spotDiscount(), true);
      p.ec2()
          .onDemandHour()
          .forEach((t, f) -> checkFigure(at + "ec2.onDemandHour." + t + "'", f, false));
      p.ec2().spotHour().forEach((t, f) -> checkFigure(at + "ec2.spotHour." + t + "'", f, false));
    }
  }

  private static void checkFigure(String field, Figure figure, boolean fraction) {
    if (figure == null) {
      return;
    }
    if (figure.value() == null) {
      throw new UserInputException(field + " has no value: add value: \"0.123\"");
    }
    if (figure.value().signum() < 0
        || (fraction && figure.value().compareTo(BigDecimal.ONE) >= 0)
        || (!fraction && figure.value().signum() == 0)) {
      throw new UserInputException(
          field
              + " = "
              + figure.value().toPlainString()
              + " is out of range: "
              + (fraction ? "use a fraction in [0, 1)" : "use a positive price"));
    }
    if (figure.asOf() == null) {
      throw new UserInputException(field + " has no asOf: add the date it was true (YYYY-MM-DD)");
    }
    if (figure.source() == null || figure.source().isBlank()) {
      throw new UserInputException(field + " has no source: say where the figure comes from");
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
