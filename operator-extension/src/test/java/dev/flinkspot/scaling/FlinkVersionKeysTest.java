package dev.flinkspot.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkspot.scaling.FlinkVersionKeys.Line;
import dev.flinkspot.scaling.FlinkVersionKeys.Renamed;
import dev.flinkspot.scaling.FlinkVersionKeys.Setting;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The version key table against the ConfigOptions of the real flink-core jars of Flink 1.20 and
 * 2.2, each loaded in a class loader of its own (the build copies them to {@code
 * target/flink-core/1} and {@code /2}): every key exists in its line, the 2.x keys are not
 * deprecated, and what the table says about each renamed 1.x key (still read as a fallback, or not)
 * is what flink-core 2.2 declares.
 */
class FlinkVersionKeysTest {

  private static final List<String> OPTION_CLASSES =
      List.of(
          "org.apache.flink.configuration.JobManagerOptions",
          "org.apache.flink.configuration.HeartbeatManagerOptions",
          "org.apache.flink.configuration.RestartStrategyOptions",
          "org.apache.flink.configuration.CheckpointingOptions",
          "org.apache.flink.configuration.PipelineOptions",
          "org.apache.flink.configuration.TaskManagerOptions");

  /** One ConfigOption as the jar declares it. */
  record Option(String key, boolean deprecated, List<String> fallbackKeys) {}

  private static Map<String, Option> one;
  private static Map<String, Option> two;

  @BeforeAll
  static void loadBothFlinkCores() throws Exception {
    one = options(Line.V1);
    two = options(Line.V2);
  }

  private static Map<String, Option> options(Line line) throws Exception {
    String root = System.getProperty("flinkspot.flink-core.dir", "target/flink-core");
    Path dir = Path.of(root, line == Line.V1 ? "1" : "2");
    assertThat(dir)
        .as(
            "flink-core of the %s line (copied by the build: mvn -pl operator-extension test)",
            line)
        .isDirectory();
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        jars.add(jar.toUri().toURL());
      }
    }
    ClassLoader loader =
        new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Map<String, Option> out = new HashMap<>();
    for (String className : OPTION_CLASSES) {
      Class<?> options = Class.forName(className, true, loader);
      for (Field field : options.getFields()) {
        Object value = Modifier.isStatic(field.getModifiers()) ? field.get(null) : null;
        if (value == null || !value.getClass().getSimpleName().equals("ConfigOption")) {
          continue;
        }
        String key = (String) value.getClass().getMethod("key").invoke(value);
        List<String> fallbacks = new ArrayList<>();
        for (Object fallback :
            (Iterable<?>) value.getClass().getMethod("fallbackKeys").invoke(value)) {
          fallbacks.add((String) fallback.getClass().getMethod("getKey").invoke(fallback));
        }
        out.put(key, new Option(key, field.isAnnotationPresent(Deprecated.class), fallbacks));
      }
    }
    return out;
  }

  @Test
  void theJarsAreTheTwoLines() {
    assertThat(one).containsKey("jobmanager.adaptive-scheduler.scaling-interval.min");
    assertThat(one)
        .doesNotContainKey("jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling");
    assertThat(two).containsKey("jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling");
  }

  @ParameterizedTest
  @EnumSource(Setting.class)
  void everyKeyExistsInItsLineAndIsCurrentThere(Setting setting) {
    setting.key(Line.V1).ifPresent(key -> assertThat(one).as("1.20 key").containsKey(key));
    setting
        .key(Line.V2)
        .ifPresent(
            key -> {
              assertThat(two).as("2.2 key").containsKey(key);
              assertThat(two.get(key).deprecated()).as("%s deprecated in 2.2", key).isFalse();
            });
  }

  @Test
  void eachRenamedKeyIsReadByTwoExactlyWhenTheTableSaysSo() {
    for (Renamed renamed : FlinkVersionKeys.renamedInTwo()) {
      boolean readAsFallback =
          renamed
              .newKey()
              .map(k -> two.get(k).fallbackKeys().contains(renamed.oldKey()))
              .orElse(false);
      assertThat(renamed.stillRead()).as(renamed.oldKey()).isEqualTo(readAsFallback);
      Optional<Option> oldInTwo = Optional.ofNullable(two.get(renamed.oldKey()));
      assertThat(oldInTwo.map(Option::deprecated).orElse(true))
          .as("%s is deprecated or gone in 2.2", renamed.oldKey())
          .isTrue();
    }
  }

  @Test
  void everyAdaptiveSchedulerKeyTwoDeprecatedIsInTheTable() {
    List<String> renamed = FlinkVersionKeys.renamedInTwo().stream().map(Renamed::oldKey).toList();
    List<String> deprecatedInTwo =
        two.values().stream()
            .filter(o -> o.key().startsWith("jobmanager.adaptive-scheduler."))
            .filter(o -> o.deprecated() && one.containsKey(o.key()))
            .map(Option::key)
            .toList();
    assertThat(deprecatedInTwo).isNotEmpty();
    assertThat(renamed).containsAll(deprecatedInTwo);
  }

  @Test
  void theLineComesFromSpecFlinkVersion() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(Line.of(json.readTree("{\"spec\":{\"flinkVersion\":\"v2_2\"}}"))).isEqualTo(Line.V2);
    assertThat(Line.of(json.readTree("{\"spec\":{\"flinkVersion\":\"v2_0\"}}"))).isEqualTo(Line.V2);
    assertThat(Line.of(json.readTree("{\"spec\":{\"flinkVersion\":\"v1_20\"}}")))
        .isEqualTo(Line.V1);
    assertThat(Line.of(json.readTree("{\"spec\":{}}"))).isEqualTo(Line.V1);
  }
}
