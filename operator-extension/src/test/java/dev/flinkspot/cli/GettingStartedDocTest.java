package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.RepoRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md stays pasteable: every shell block is valid bash, every repository path
 * it names exists, and every {@code flinkspot plan} command in it runs.
 */
class GettingStartedDocTest {
  static final Path ROOT = RepoRoot.find();
  static final Pattern BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");
  static final Pattern REPO_PATH = Pattern.compile("(?<![\\w/.-])((?:k8s|eksctl)/[\\w./-]*[\\w-])");

  private static List<String> blocks() throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/getting-started.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void everyShellBlockIsValidBash(@TempDir Path dir) throws Exception {
    List<String> blocks = blocks();
    assertThat(blocks).hasSizeGreaterThan(10);
    for (String block : blocks) {
      Path script = dir.resolve("block.sh");
      Files.writeString(script, block, StandardCharsets.UTF_8);
      Process bash =
          new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
      assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bash.exitValue()).as(block + "\n" + output).isZero();
    }
  }

  @Test
  void everyRepositoryPathItNamesExists() throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/getting-started.md"));
    Matcher m = REPO_PATH.matcher(doc);
    List<String> paths = new ArrayList<>();
    while (m.find()) {
      paths.add(m.group(1));
    }
    assertThat(paths).contains("eksctl/cluster.yaml", "k8s/addons", "k8s/karpenter");
    for (String path : paths) {
      assertThat(ROOT.resolve(path)).as(path).exists();
    }
  }

  @Test
  void itsPlanCommandsRun(@TempDir Path dir) throws Exception {
    int plans = 0;
    for (String block : blocks()) {
      for (String line : block.split("\n")) {
        if (!line.startsWith("flinkspot plan ")) {
          continue;
        }
        List<String> args = new ArrayList<>();
        for (String word : line.substring("flinkspot ".length()).split(" +")) {
          args.add(word.replace("\"$AWS_REGION\"", "us-east-1"));
        }
        int output = args.indexOf("--output");
        args.set(output + 1, dir.resolve("plan" + plans).toString());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(line + "\n" + run.err()).isZero();
        plans++;
      }
    }
    assertThat(plans).isPositive();
  }
}
