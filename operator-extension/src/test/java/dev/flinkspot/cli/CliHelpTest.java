package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Help that reads well in an 80-column terminal, and the shell-facing parts of the CLI: -o as
 * kubectl's, completion, unknown commands.
 */
class CliHelpTest {

  @Test
  void everyCommandsHelpAt80ColumnsHasNoOrphanLineOfOneOrTwoWords() {
    CommandLine cli = FlinkspotCli.newCommandLine();
    cli.setUsageHelpAutoWidth(false);
    cli.setUsageHelpWidth(80);
    Map<CommandLine, String> helps = new IdentityHashMap<>();
    collect(cli, helps);
    assertThat(helps).hasSizeGreaterThanOrEqualTo(9);
    List<String> orphans = new ArrayList<>();
    helps.forEach(
        (command, help) -> {
          for (String orphan : orphans(help)) {
            orphans.add(command.getCommandSpec().qualifiedName() + ": \"" + orphan + "\"");
          }
          assertThat(help.lines()).as(command.getCommandName()).allMatch(l -> l.length() <= 80);
        });
    assertThat(orphans).as("wrapped lines of one or two words").isEmpty();
  }

  @Test
  void theOrphanCheckFindsAWrappedSentenceEnd() {
    assertThat(
            orphans(
                """
                Usage: flinkspot cost [-hV] [--msf-backups] [--format=<format>]
                                      [FILE]

                Exit codes: 0 ok, 2 bad input (one line names the field and the fix), 1 internal
                error.
                Options:
                  -h, --help   Show this help message and exit.
                """))
        .containsExactly("error.");
  }

  @Test
  void anUnknownCommandWithHelpIsExitTwoAndNamed() {
    CliRun run = CliRun.of("bil", "--help");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .isEqualTo("flinkspot: unknown command 'bil' (see `flinkspot --help`)");

    CliRun withoutHelp = CliRun.of("bil");
    assertThat(withoutHelp.exitCode()).isEqualTo(2);
    assertThat(withoutHelp.err()).isEqualTo(run.err());

    CliRun nested = CliRun.of("prices", "fetch", "--help");
    assertThat(nested.exitCode()).isEqualTo(2);
    assertThat(nested.err()).contains("unknown command 'fetch'", "flinkspot prices --help");
  }

  @Test
  void knownCommandsStillShowTheirHelp() {
    CliRun run = CliRun.of("cost", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: flinkspot cost", "-o, --format=<format>");
  }

  @Test
  void dashOIsKubectlsOutputFormatForCostAndReport() {
    CliRun json = CliRun.of("cost", "--parallelism", "4", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out().strip()).startsWith("{").contains("\"savingsUsd\"");
    CliRun bad = CliRun.of("cost", "--parallelism", "4", "-o", "yaml");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("yaml").contains("table, json, html");
    assertThat(CliRun.of("report", "--help").out()).contains("-o, --format=<format>");
  }

  @Test
  void completionScriptCoversTheCommandsAndTheirOptions() {
    CliRun run = CliRun.of("generate-completion");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("complete -F _complete_flinkspot")
        .contains("cost", "report", "prices", "plan", "controller")
        .contains("--format")
        .contains("compinit"); // zsh reads it through bashcompinit
    assertThat(CliRun.of("--help").out()).contains("generate-completion");
  }

  @Test
  void kubectlPluginCompletionListsCandidatesThenADirective() {
    assertThat(CliRun.of("__complete", "co").out().lines())
        .containsExactly("cost", "controller", ":4");
    assertThat(CliRun.of("__complete", "cost", "-o", "").out().lines())
        .containsExactlyInAnyOrder("table", "json", "html", ":4");
    assertThat(CliRun.of("__complete", "cost", "k8s/exa").out().lines())
        .as("no candidate: the shell completes a file name")
        .containsExactly(":0");
    assertThat(CliRun.of("--help").out()).doesNotContain("__complete");
  }

  @Test
  void versionNamesTheVersionAndTheCommit() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).containsPattern("^flinkspot \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)");
  }

  /** Lines of wrapped prose holding only one or two words (the synopsis is left out). */
  static List<String> orphans(String help) {
    List<String> found = new ArrayList<>();
    String previous = "";
    boolean synopsis = false;
    for (String line : help.lines().toList()) {
      String text = line.strip();
      if (line.startsWith("Usage:")) {
        synopsis = true;
      } else if (text.isEmpty()) {
        synopsis = false;
      }
      boolean continuation = !previous.isBlank() && !text.startsWith("-") && !text.endsWith(":");
      if (!synopsis && continuation && !text.isEmpty() && text.split("\\s+").length <= 2) {
        found.add(text);
      }
      previous = line;
    }
    return found;
  }

  private static void collect(CommandLine command, Map<CommandLine, String> helps) {
    if (helps.containsKey(command)) {
      return;
    }
    helps.put(command, command.getUsageMessage(CommandLine.Help.Ansi.OFF));
    command.getSubcommands().values().forEach(sub -> collect(sub, helps));
  }
}
