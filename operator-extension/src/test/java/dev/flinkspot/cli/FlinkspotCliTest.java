package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class FlinkspotCliTest {

  @Command(name = "overflow")
  static final class Overflowing implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new StackOverflowError("deep");
    }
  }

  @Test
  void anErrorIsOneLineAndExitOne() {
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        CliErrors.install(new CommandLine(new Overflowing())).setErr(new PrintWriter(err));

    int exit = FlinkspotCli.run(commandLine, new String[0]);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("flinkspot: internal error: StackOverflowError: deep");
  }
}
