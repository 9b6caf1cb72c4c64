package dev.flinkspot.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flinkspot __complete WORD...}: completion candidates for the last word, in the protocol
 * kubectl (1.26+) speaks with a plugin's {@code kubectl_complete-<name>} executable (Cobra's: one
 * candidate a line, then {@code :<directive>}). bin/kubectl_complete-flinkspot runs it, so {@code
 * kubectl flinkspot <TAB>} completes commands, options and option values.
 */
@Command(name = "__complete", hidden = true, description = "Completion candidates, for kubectl.")
final class CompleteCommand implements Callable<Integer> {
  /** Cobra's ShellCompDirectiveNoFileComp: these are all the candidates. */
  static final int NO_FILE_COMPLETION = 4;

  /** Cobra's ShellCompDirectiveDefault: none known, let the shell complete a file name. */
  static final int DEFAULT = 0;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "WORD",
      description = "The words typed after the command name; the last one is completed.")
  List<String> words = new ArrayList<>();

  @Override
  public Integer call() {
    String[] args = words.isEmpty() ? new String[] {""} : words.toArray(String[]::new);
    int last = args.length - 1;
    List<CharSequence> suffixes = new ArrayList<>();
    AutoComplete.complete(spec.root(), args, last, args[last].length(), 0, suffixes);
    PrintWriter out = spec.commandLine().getOut();
    for (CharSequence suffix : suffixes) {
      out.println(args[last] + suffix);
    }
    out.println(":" + (suffixes.isEmpty() ? DEFAULT : NO_FILE_COMPLETION));
    out.flush();
    return 0;
  }
}
