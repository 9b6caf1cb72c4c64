package dev.flinkspot.cli;

import dev.flinkspot.common.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Where a rendered report goes: standard output, or {@code --output FILE} with a note. */
final class ReportOutput {
  private ReportOutput() {}

  static void write(CommandSpec spec, Path output, Object format, String report) {
    if (output == null) {
      spec.commandLine().getOut().print(report);
      spec.commandLine().getOut().flush();
      return;
    }
    try {
      Files.writeString(output, report, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("--output " + output + ": cannot write: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println("wrote " + format + " report to " + output);
  }
}
