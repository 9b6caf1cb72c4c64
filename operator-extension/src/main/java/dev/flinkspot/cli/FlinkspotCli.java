package dev.flinkspot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code flinkspot} executable jar. */
@Command(
    name = "flinkspot",
    mixinStandardHelpOptions = true,
    description = "Self-managed Apache Flink on EKS with Spot TaskManagers.")
public final class FlinkspotCli {
  public static void main(String[] args) {
    System.exit(new CommandLine(new FlinkspotCli()).execute(args));
  }
}
