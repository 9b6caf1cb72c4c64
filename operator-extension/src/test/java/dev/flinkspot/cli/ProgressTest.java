package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void atATerminalEachStepIsALineOnStandardError() {
    StringWriter err = new StringWriter();
    Progress.to(true, new PrintWriter(err)).accept("asking AWS for Spot prices");
    assertThat(err)
        .hasToString("flinkspot: asking AWS for Spot prices..." + System.lineSeparator());
  }

  @Test
  void inAScriptOrAPipeNothingIsPrinted() {
    StringWriter err = new StringWriter();
    Progress.to(false, new PrintWriter(err)).accept("asking AWS for Spot prices");
    // The tests run without a console, as a script does: the real command stays silent too.
    Progress.onTerminal(new PrintWriter(err)).accept("asking AWS for Spot prices");
    assertThat(err.toString()).isEmpty();
  }
}
