package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code target/flinkspot.jar}, run as a user runs it, from another directory. */
class CliJarIT {
  @TempDir Path elsewhere;

  private record Result(int exit, String out, String err) {}

  private Result run(String... args) throws Exception {
    Path jar = Path.of("target", "flinkspot.jar").toAbsolutePath();
    assertThat(jar).as("run `mvn package` first").exists();
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path out = elsewhere.resolve("out.txt");
    Path err = elsewhere.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(elsewhere.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void helpAndVersionWorkFromAnyDirectory() throws Exception {
    Result help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: flinkspot", "cost", "prices");
    Result version = run("version");
    assertThat(version.out()).startsWith("flinkspot 0.");
  }

  @Test
  void versionNamesTheCommitTheJarWasBuiltFrom() throws Exception {
    Process git =
        new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
            .directory(dev.flinkspot.testing.kube.RepoRoot.find().toFile())
            .redirectErrorStream(true)
            .start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String commit = git.waitFor() == 0 ? head : "unknown";

    Result version = run("--version");

    assertThat(version.exit()).isZero();
    assertThat(version.out().lines().findFirst().orElseThrow())
        .matches("flinkspot \\S+ \\(commit " + commit + "\\)");
  }

  @Test
  void theCompletionScriptCompletesInARealBash() throws Exception {
    Path script = elsewhere.resolve("flinkspot.bash");
    Files.writeString(script, run("generate-completion").out());
    // What bash does on TAB: fill COMP_WORDS/COMP_CWORD, call the function, read COMPREPLY.
    String complete =
        "source "
            + script
            + "; complete -p flinkspot"
            + "; COMP_WORDS=(flinkspot co); COMP_CWORD=1; _complete_flinkspot 2>/dev/null"
            + "; echo \"commands: ${COMPREPLY[*]}\""
            + "; COMP_WORDS=(flinkspot report -o ''); COMP_CWORD=3; _complete_flinkspot 2>/dev/null"
            + "; echo \"formats: ${COMPREPLY[*]}\"";
    Process bash = new ProcessBuilder("bash", "-c", complete).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(bash.waitFor()).as(out).isZero();
    assertThat(out)
        .contains("-F _complete_flinkspot flinkspot")
        .contains("commands: cost controller")
        .contains("formats: table json html");
  }

  @Test
  void theReadmeMainCommandReportsOnTheExample() throws Exception {
    Result cost = run("cost", CostCommandTest.example());

    assertThat(cost.exit()).isZero();
    assertThat(cost.err()).as("nothing but the report: no log noise").isEmpty();
    assertThat(cost.out()).contains("flink/stock-ticker", "savings vs MSF");
  }

  @Test
  void billLoadsDuckDbsNativeLibraryFromTheJar() throws Exception {
    Result bill = run("bill", "--export", BillCommandTest.example());

    assertThat(bill.exit()).as(bill.err()).isZero();
    assertThat(bill.err()).as("nothing but the report: no log noise").isEmpty();
    assertThat(bill.out()).contains("flink/stock-ticker", "read with DuckDB v");
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Result bad = run("cost", "missing" + File.separator + "file.yaml");

    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err().lines().toList()).hasSize(1);
  }
}
