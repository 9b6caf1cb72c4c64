package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControllerCommandTest {

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    var cli = FlinkspotCli.newCommandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(out));
    return cli.execute(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--workers=0 | --workers must be between 1 and 64, not 0",
        "--namespaces=flink,Bad_NS | --namespaces: 'Bad_NS' is not a namespace name",
        "--webhook-port=70000 | --webhook-port must be a port between 1 and 65535",
        "--resync=PT0S | --resync must be a positive duration",
        "--log-format=xml | --log-format must be json or text",
        "--prices=/nonexistent/prices.yaml | --prices /nonexistent/prices.yaml",
        "--cost-report-interval=PT1S | --cost-report-interval must be at least PT10S",
        "--cost-region=mars-1 | --cost-region: unknown AWS region 'mars-1'",
      })
  void badOptionsExitTwoWithOneLineNamingTheOption(String option, String message) {
    int code = run("controller", option);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip()).doesNotContain("\n").contains(message);
    assertThat(err.toString()).doesNotContain("Exception");
  }

  @Test
  void unparseableValueIsAUserError() {
    assertThat(run("controller", "--workers=many")).isEqualTo(2);
    assertThat(err.toString()).contains("--workers");
  }

  @Test
  void helpListsTheOptions() {
    assertThat(run("controller", "--help")).isZero();
    assertThat(out.toString())
        .contains("--namespaces")
        .contains("--[no-]leader-election")
        .contains("--[no-]webhook");
  }
}
