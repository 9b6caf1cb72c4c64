package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Checks $KUBECONFIG before a Kubernetes client is built from it. */
final class Kubeconfig {
  private Kubeconfig() {}

  /**
   * Fails with one line naming the file when {@code kubeconfig} (the value of $KUBECONFIG, a path
   * list) names no file that exists: the Fabric8 client would otherwise fall back to
   * https://kubernetes.default.svc and report an unreachable API server instead.
   */
  static void requireExisting(String kubeconfig) {
    if (kubeconfig == null || kubeconfig.isBlank()) {
      return;
    }
    List<String> files =
        Arrays.stream(kubeconfig.split(File.pathSeparator)).filter(f -> !f.isBlank()).toList();
    if (!files.isEmpty() && files.stream().noneMatch(f -> Files.isRegularFile(Path.of(f)))) {
      throw new UserInputException(
          "KUBECONFIG names "
              + dev.flinkspot.common.Bounds.shown(String.join(File.pathSeparator, files))
              + ", which does not exist: point KUBECONFIG at your cluster's kubeconfig file, or"
              + " unset it to use ~/.kube/config");
    }
  }
}
