package dev.flinkspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, checked on the sources: which package uses which is read
 * from every fully qualified {@code dev.flinkspot.x.Type} reference (imports and inline names) of
 * {@code src/main/java}. A small scan instead of a library: the rules are three.
 */
class PackageDependenciesTest {

  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(dev\\.flinkspot(?:\\.[a-z][a-z0-9]*)+)\\.[A-Z]");

  /** Package → the other flinkspot packages its classes name. */
  private static Map<String, Set<String>> uses;

  /** Source lines per class file of a package. */
  private static Map<Path, Integer> lines;

  @BeforeAll
  static void scan() throws IOException {
    uses = new TreeMap<>();
    lines = new HashMap<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(MAIN.resolve("dev/flinkspot"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : sources) {
      String own = MAIN.relativize(file.getParent()).toString().replace('/', '.');
      uses.computeIfAbsent(own, k -> new TreeSet<>());
    }
    for (Path file : sources) {
      String own = MAIN.relativize(file.getParent()).toString().replace('/', '.');
      String text = Files.readString(file);
      lines.put(file, (int) text.lines().count());
      Matcher m = REFERENCE.matcher(text);
      while (m.find()) {
        String used = m.group(1);
        if (!used.equals(own) && uses.containsKey(used)) {
          uses.get(own).add(used);
        }
      }
    }
  }

  @Test
  void theScanSeesThePackages() {
    assertThat(uses).containsKeys("dev.flinkspot.desired", "dev.flinkspot.controller");
    assertThat(uses.get("dev.flinkspot.controller")).contains("dev.flinkspot.desired");
  }

  @Test
  void noPackageCycle() {
    assertThat(cycles()).as("package cycles (each a strongly connected group)").isEmpty();
  }

  @Test
  void nothingUsesTheTopLayer() {
    Set<String> top =
        Set.of("dev.flinkspot.cli", "dev.flinkspot.controller", "dev.flinkspot.webhook");
    Map<String, Set<String>> offending = new TreeMap<>();
    uses.forEach(
        (from, to) -> {
          for (String used : to) {
            boolean allowed =
                from.equals("dev.flinkspot.cli") // the CLI starts the controller
                    || (from.equals("dev.flinkspot.controller")
                        && used.equals("dev.flinkspot.webhook")); // the runtime serves it
            if (top.contains(used) && !allowed) {
              offending.computeIfAbsent(from, k -> new TreeSet<>()).add(used);
            }
          }
        });
    assertThat(offending).isEmpty();
  }

  /** The decisions take no client: they are tested on plain objects. */
  @Test
  void decisionsAreApartFromEffects() throws IOException {
    List<String> pure =
        List.of("desired", "policy", "placement", "scaling", "flink", "interruption").stream()
            .map(p -> "dev/flinkspot/" + p + "/")
            .toList();
    List<String> withClient = new ArrayList<>();
    for (Path file : lines.keySet()) {
      String path = MAIN.relativize(file).toString();
      if (pure.stream().anyMatch(path::startsWith)
          && Files.readString(file).contains("KubernetesClient")) {
        withClient.add(path);
      }
    }
    assertThat(withClient).isEmpty();
    for (String p : List.of("policy", "placement", "scaling", "flink")) {
      assertThat(uses.get("dev.flinkspot." + p)).as(p).doesNotContain("dev.flinkspot.desired");
    }
  }

  /** A long class in controller/ says in its Javadoc why ("Long because ..."). */
  @Test
  void controllerClassesAreShortOrSayWhy() throws IOException {
    List<String> unexplained = new ArrayList<>();
    for (var e : lines.entrySet()) {
      Path file = e.getKey();
      if (file.getParent().endsWith("controller")
          && e.getValue() > 250
          && !Files.readString(file).contains("Long because")) {
        unexplained.add(file.getFileName() + " (" + e.getValue() + " lines)");
      }
    }
    assertThat(unexplained).isEmpty();
  }

  @Test
  void everyPackageSaysWhatItDecides() {
    List<String> missing = new ArrayList<>();
    for (String p : uses.keySet()) {
      if (!Files.exists(MAIN.resolve(p.replace('.', '/')).resolve("package-info.java"))) {
        missing.add(p);
      }
    }
    assertThat(missing).isEmpty();
  }

  /** Tarjan's strongly connected components with more than one package. */
  private static List<Set<String>> cycles() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String p : uses.keySet()) {
      if (!index.containsKey(p)) {
        connect(p, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : uses.get(v)) {
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> group = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        group.add(w);
      } while (!w.equals(v));
      if (group.size() > 1) {
        out.add(group);
      }
    }
  }
}
