package dev.flinkspot.testing.kube;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the working directory (the module under Maven) upwards. */
public final class RepoRoot {

  private RepoRoot() {}

  public static Path find() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("tools/kube/build.sh"))
          && Files.isDirectory(p.resolve("k8s"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "repository root (with tools/kube/build.sh and k8s/) not found above "
            + Path.of("").toAbsolutePath());
  }
}
