package dev.flinkspot.plan;

import dev.flinkspot.testing.ResolvedOnce;
import dev.flinkspot.testing.kube.RepoRoot;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Karpenter's CRDs (NodePool, NodeClaim, EC2NodeClass) as the Karpenter Go module pinned in {@code
 * tools/karpenter/go.mod} embeds them, printed by {@code go run} of that tool. Nothing of
 * Karpenter's is copied into this repository. Without Go the test is skipped (fails under CI).
 */
final class KarpenterCrds {
  private static final ResolvedOnce<List<CustomResourceDefinition>> CRDS =
      new ResolvedOnce<>(KarpenterCrds::run);

  private KarpenterCrds() {}

  static List<CustomResourceDefinition> load() {
    return CRDS.get();
  }

  private static Object run() {
    Path tool = RepoRoot.find().resolve("tools/karpenter");
    try {
      Path out = Files.createTempFile("karpenter-crds", ".yaml");
      Path log = Files.createTempFile("karpenter-crds", ".log");
      Process process;
      try {
        process =
            new ProcessBuilder("nice", "-n", "10", "go", "run", ".")
                .directory(tool.toFile())
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
      } catch (IOException e) {
        return "the Go toolchain ('go' on PATH) to print Karpenter's CRDs with tools/karpenter ("
            + e.getMessage()
            + ")";
      }
      if (!process.waitFor(20, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("go run tools/karpenter took over 20 minutes");
      }
      String yaml = Files.readString(out, StandardCharsets.UTF_8);
      String errors = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      Files.deleteIfExists(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "go run tools/karpenter failed (exit " + process.exitValue() + "): " + errors);
      }
      List<CustomResourceDefinition> crds = split(yaml, new KubernetesSerialization());
      if (crds.size() != 3) {
        throw new IllegalStateException("tools/karpenter printed " + crds.size() + " CRDs, not 3");
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<CustomResourceDefinition> split(
      String yaml, KubernetesSerialization serialization) {
    return java.util.Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.contains("kind: CustomResourceDefinition"))
        .map(doc -> serialization.unmarshal(doc, CustomResourceDefinition.class))
        .toList();
  }
}
