package dev.flinkspot.cli;

import dev.flinkspot.common.Bounds;
import dev.flinkspot.common.UserInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one readable line on stderr and an exit code: 2 for input the user can
 * fix (named field, the fix), 1 for anything else. A stack trace only with FLINKSPOT_DEBUG=1.
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int USER_ERROR = 2;
  static final int INTERNAL_ERROR = 1;

  /** Longest message printed: whatever a user's input put in it, the line stays readable. */
  private static final int MAX_LINE = 1_000;

  static CommandLine install(CommandLine commandLine) {
    CliErrors handler = new CliErrors();
    return commandLine
        .setExecutionStrategy(CliErrors::refuseUnknownThenRun)
        .setExecutionExceptionHandler(handler)
        .setParameterExceptionHandler(handler)
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  /**
   * picocli skips its unmatched-argument check when help is asked for, so {@code flinkspot bill
   * --help} would print the top-level help and exit 0; an unknown command or option is exit 2,
   * named, with or without --help.
   */
  private static int refuseUnknownThenRun(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (!p.unmatched().isEmpty()) {
        return refuseUnknown(p.commandSpec().commandLine(), p.unmatched().get(0));
      }
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  private static int refuseUnknown(CommandLine command, String unknown) {
    command
        .getErr()
        .println(
            "flinkspot: unknown "
                + (unknown.startsWith("-") ? "option" : "command")
                + " '"
                + unknown
                + "' (see `"
                + command.getCommandSpec().qualifiedName()
                + " --help`)");
    return USER_ERROR;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    if (e instanceof UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()
        && command.getCommandSpec().positionalParameters().isEmpty()) {
      return refuseUnknown(command, unmatched.getUnmatched().get(0));
    }
    PrintWriter err = command.getErr();
    err.println(
        "flinkspot: "
            + Bounds.shown(e.getMessage(), MAX_LINE)
            + " (see `"
            + command.getCommandSpec().qualifiedName()
            + " --help`)");
    return USER_ERROR;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (e instanceof UserInputException) {
      err.println("flinkspot: " + Bounds.shown(e.getMessage(), MAX_LINE));
      return USER_ERROR;
    }
    return internalError(e, err);
  }

  /**
   * One line for a failure no handler expected, an {@link Error} included (picocli passes those
   * through): exit 1, the stack trace only with FLINKSPOT_DEBUG=1.
   */
  static int internalError(Throwable e, PrintWriter err) {
    err.println(
        "flinkspot: internal error: "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + Bounds.shown(e.getMessage(), MAX_LINE))
            + " (set FLINKSPOT_DEBUG=1 for the stack trace, and please report it)");
    if ("1".equals(System.getenv("FLINKSPOT_DEBUG"))) {
      e.printStackTrace(err);
    }
    err.flush();
    return INTERNAL_ERROR;
  }
}
