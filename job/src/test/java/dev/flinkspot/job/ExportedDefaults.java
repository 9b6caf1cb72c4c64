package dev.flinkspot.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.flink.harness.FlinkVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * flinkspot's Reactive Mode admission defaults for the Flink line on the class path, as
 * operator-extension's ReactiveDefaultsExportTest wrote them ({@code
 * <flinkspot.reactive-defaults.dir>/<flinkVersion>.json}): the {@code flinkConfiguration} keys the
 * webhook adds to a deployment that sets nothing. The job modules cannot depend on
 * operator-extension, so they read its output. Public for the e2e modules.
 */
public final class ExportedDefaults {
  private ExportedDefaults() {}

  /** The file for this Flink line. */
  public static Path file() {
    return Path.of(System.getProperty("flinkspot.reactive-defaults.dir", ""))
        .resolve(FlinkVersion.specValue() + ".json");
  }

  /** Why the file cannot be read, or null when it is there. */
  public static String missing() {
    return Files.isRegularFile(file())
        ? null
        : file()
            + " is missing: build operator-extension first (mvn -B -o -pl operator-extension"
            + " test -Dtest=ReactiveDefaultsExportTest, or mvn -B verify)";
  }

  /** The defaults, key to value, in the exported order; fails saying why when missing. */
  public static Map<String, String> read() {
    String why = missing();
    if (why != null) {
      throw new IllegalStateException(why);
    }
    Map<String, String> out = new LinkedHashMap<>();
    try {
      new ObjectMapper()
          .readTree(file().toFile())
          .fields()
          .forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
