package dev.flinkspot.testing.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every manifest set the project ships under {@code k8s/}: each kustomization directory (applied
 * with {@code kubectl apply -k}) and each YAML file outside any kustomization (applied with {@code
 * kubectl apply -f}). Kustomize components ({@code kind: Component}) are left out: they are parts
 * for overlays to include (k8s/karpenter, which needs Karpenter's CRDs, has its own IT).
 */
public final class ManifestTree {

  static final Set<String> KUSTOMIZATION_FILES =
      Set.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private ManifestTree() {}

  /** One thing a user would apply, with paths relative to the repository root. */
  public record ManifestSet(Path path, boolean kustomization) {

    /** kubectl arguments selecting this set: {@code -k dir} or {@code -f file}. */
    public List<String> selector() {
      return List.of(kustomization ? "-k" : "-f", path.toString());
    }

    @Override
    public String toString() {
      return (kustomization ? "kustomize " : "") + path;
    }
  }

  /** The manifest sets under {@code <repoRoot>/k8s}, in path order. */
  public static List<ManifestSet> scan(Path repoRoot) {
    Path k8s = repoRoot.resolve("k8s");
    List<ManifestSet> sets = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(k8s)) {
      for (Path p : walk.sorted().toList()) {
        Path relative = repoRoot.relativize(p);
        if (Files.isDirectory(p)) {
          kustomizationFile(p)
              .filter(f -> !isComponent(f))
              .ifPresent(f -> sets.add(new ManifestSet(relative, true)));
        } else if (isYaml(p) && !insideKustomization(k8s, p)) {
          sets.add(new ManifestSet(relative, false));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sets;
  }

  private static boolean isYaml(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static boolean insideKustomization(Path k8s, Path file) {
    for (Path dir = file.getParent(); dir != null && dir.startsWith(k8s); dir = dir.getParent()) {
      if (kustomizationFile(dir).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static java.util.Optional<Path> kustomizationFile(Path dir) {
    return KUSTOMIZATION_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
  }

  private static boolean isComponent(Path kustomizationFile) {
    try {
      return Files.readAllLines(kustomizationFile).stream()
          .anyMatch(l -> l.strip().matches("kind:\\s*Component"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
