package dev.flinkspot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code flinkspot} executable jar: the controller and the offline tools. */
@Command(
    name = "flinkspot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Self-managed Apache Flink on Amazon EKS: On-Demand JobManagers, Spot TaskManagers,",
      "Reactive Mode scaling, and the cost report that compares it with Amazon Managed Service",
      "for Apache Flink."
    },
    subcommands = {
      VersionCommand.class,
      CostCommand.class,
      ReportCommand.class,
      PricesCommand.class,
      PlanCommand.class,
      ControllerCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class FlinkspotCli {

  private FlinkspotCli() {}

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line; tests drive it in-process. */
  public static CommandLine newCommandLine() {
    return CliErrors.install(new CommandLine(new FlinkspotCli()));
  }
}
