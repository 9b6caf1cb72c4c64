package dev.flinkspot.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Progress of a long operation (prices refresh) as lines on standard error, for a person at a
 * terminal; silent when the CLI runs in a script or a pipe, so its output stays only the result.
 * Java tells a terminal only for the console as a whole ({@link System#console()}: standard input
 * and output both a terminal), so redirecting the output also silences the progress.
 */
final class Progress {
  private Progress() {}

  static Consumer<String> onTerminal(PrintWriter err) {
    return to(System.console() != null, err);
  }

  static Consumer<String> to(boolean terminal, PrintWriter err) {
    if (!terminal) {
      return step -> {};
    }
    return step -> {
      err.println("flinkspot: " + step + "...");
      err.flush();
    };
  }
}
