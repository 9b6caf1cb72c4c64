package dev.flinkspot.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code flinkspot} executable jar: the controller and the offline tools. */
@Command(
    name = "flinkspot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Self-managed Apache Flink on Amazon EKS, priced against Amazon Managed Service for Apache"
          + " Flink (MSF).",
      "",
      "JobManagers run On-Demand, TaskManagers on Spot, scaled by Reactive Mode; the cost report"
          + " compares what that costs with what MSF would bill."
    },
    footer = {
      "",
      "Environment:",
      "  FLINKSPOT_LOG_LEVEL  DEBUG, INFO (default), WARN or ERROR; logs go to stderr",
      "  FLINKSPOT_DEBUG=1    print the stack trace of an internal error"
    },
    subcommands = {
      VersionCommand.class,
      CostCommand.class,
      BillCommand.class,
      ReportCommand.class,
      PricesCommand.class,
      PlanCommand.class,
      ControllerCommand.class,
      CommandLine.HelpCommand.class,
      AutoComplete.GenerateCompletion.class,
      CompleteCommand.class,
    })
public final class FlinkspotCli {

  private FlinkspotCli() {}

  public static void main(String[] args) {
    System.exit(run(newCommandLine(), args));
  }

  /** Runs {@code args}; an Error (OutOfMemoryError...), which picocli lets through, is one line. */
  static int run(CommandLine commandLine, String[] args) {
    try {
      return commandLine.execute(args);
    } catch (Throwable e) {
      return CliErrors.internalError(e, commandLine.getErr());
    }
  }

  /** The configured command line; tests drive it in-process. */
  public static CommandLine newCommandLine() {
    CommandLine cli = CliErrors.install(new CommandLine(new FlinkspotCli()));
    // Help fills the terminal's width (80 columns when it cannot be told), for every command.
    cli.setUsageHelpAutoWidth(true);
    // `flinkspot generate-completion`: a bash script, which zsh also reads (bashcompinit).
    CommandLine completion = cli.getSubcommands().get("generate-completion");
    completion.getCommandSpec().usageMessage().hidden(false);
    completion
        .getCommandSpec()
        .usageMessage()
        .description("Print the bash and zsh completion script.");
    // kubectl's plugin completion passes the words typed so far, options included.
    cli.getSubcommands().get("__complete").setUnmatchedOptionsArePositionalParams(true);
    return cli;
  }
}
