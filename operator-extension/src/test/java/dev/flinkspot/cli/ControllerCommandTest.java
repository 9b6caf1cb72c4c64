package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        "--resync=PT0S | --resync must be between 1m and 24h, not 0s",
        "--resync=25h | --resync must be between 1m and 24h, not 25h",
        "--log-format=xml | --log-format must be json or text",
        "--prices=/nonexistent/prices.yaml | --prices /nonexistent/prices.yaml",
        "--cost-report-interval=PT1S | --cost-report-interval must be between 10s and 24h, not 1s",
        "--cost-report-interval=500ms | --cost-report-interval must be between 10s and 24h, not 500ms",
        "--cost-report-interval=5 minutes | '5 minutes' is not a duration: write e.g. 90s, 10m or 2h",
        "--cost-region=mars-1 | --cost-region: unknown AWS region 'mars-1'",
        "--bind-address=localhost | --bind-address: 'localhost' is not an IP address: use"
            + " 127.0.0.1 (this host only) or 0.0.0.0 (every interface)",
        "--bind-address=256.0.0.1 | --bind-address: '256.0.0.1' is not an IP address",
        "--spare-priority-class=Not_A_Name | --spare-priority-class: 'Not_A_Name' is not a PriorityClass name",
        "--metrics-max-deployments=-1 | --metrics-max-deployments must be between 0 and 100000, not -1",
        "--metrics-max-deployments=100001 | --metrics-max-deployments must be between 0 and 100000,"
            + " not 100001",
        "--spare-image= | --spare-image: give an image reference such as registry.k8s.io/pause:3.10",
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

  @ParameterizedTest
  @CsvSource({"5m, PT5M", "1h, PT1H", "30s, PT30S", "PT5M, PT5M", "90s, PT1M30S"})
  void costReportIntervalIsWrittenTheKubernetesWayOrInIso(String given, String expected) {
    var command = new ControllerCommand();
    new picocli.CommandLine(command).parseArgs("--cost-report-interval", given);

    assertThat(command.costReportInterval).isEqualTo(java.time.Duration.parse(expected));
    assertThat(command.costReportSettings()).isNotNull();
  }

  @ParameterizedTest
  @CsvSource({
    "'', 2000",
    "--metrics-max-deployments=0, 0",
    "--metrics-max-deployments=100000, 100000"
  })
  void metricsMaxDeploymentsDefaultsTo2000AndTakesItsBounds(String option, int expected) {
    var command = new ControllerCommand();
    new picocli.CommandLine(command)
        .parseArgs(option.isEmpty() ? new String[0] : new String[] {option});

    assertThat(command.config().metricsMaxDeployments()).isEqualTo(expected);
  }

  @Test
  void anUnparseableMetricsMaxDeploymentsIsAUserError() {
    assertThat(run("controller", "--metrics-max-deployments=lots")).isEqualTo(2);
    assertThat(err.toString().strip()).doesNotContain("\n").contains("--metrics-max-deployments");
  }

  @Test
  void resyncIsWrittenTheKubernetesWay() {
    var command = new ControllerCommand();
    new picocli.CommandLine(command).parseArgs("--resync", "30m");

    assertThat(command.config().resync()).isEqualTo(java.time.Duration.ofMinutes(30));
  }

  @Test
  void defaultPortsClashNeitherWithFlinkRestNorWithEachOther() {
    var command = new ControllerCommand();
    new picocli.CommandLine(command).parseArgs();
    var config = command.config();

    // 8081: Flink's rest.port default, which getting-started port-forwards.
    assertThat(java.util.List.of(config.healthPort(), config.metricsPort(), config.webhookPort()))
        .doesNotContain(8081)
        .doesNotHaveDuplicates();
    assertThat(config.healthPort())
        .isEqualTo(dev.flinkspot.controller.ControllerConfig.builder().build().healthPort());
  }

  @ParameterizedTest
  @CsvSource({"--health-port", "--metrics-port"})
  void aPortInUseIsOneLineNamingTheOptionAndThePort(String option) throws Exception {
    try (var taken = new java.net.ServerSocket(0)) {
      int port = taken.getLocalPort();
      // The other port: any free one (0), so only the option under test collides.
      String other = option.equals("--health-port") ? "--metrics-port=0" : "--health-port=0";

      int code = run("controller", "--no-cost-reports", other, option + "=" + port);

      assertThat(code).isEqualTo(2);
      assertThat(err.toString().strip())
          .isEqualTo(
              "flinkspot: "
                  + option
                  + " "
                  + port
                  + " is in use: choose another port, or stop what listens on it");
    }
  }

  @Test
  void aWebhookPortInUseIsNamedToo() throws Exception {
    var vertx = io.vertx.core.Vertx.vertx();
    try (var taken = new java.net.ServerSocket(0)) {
      int port = taken.getLocalPort();

      // The webhook's server is Vert.x: its own bind failure, as WebhookServer.start sees it.
      assertThatThrownBy(
              () ->
                  ControllerCommand.bind(
                      "--webhook-port",
                      ControllerCommand.LOOPBACK,
                      port,
                      () ->
                          vertx
                              .createHttpServer()
                              .requestHandler(r -> r.response().end())
                              .listen(port)
                              .toCompletionStage()
                              .toCompletableFuture()
                              .get(30, java.util.concurrent.TimeUnit.SECONDS)))
          .isInstanceOf(dev.flinkspot.common.UserInputException.class)
          .hasMessage(
              "--webhook-port "
                  + port
                  + " is in use: choose another port, or stop what listens on it");
    } finally {
      vertx.close();
    }
  }

  @Test
  void otherBindFailuresAreNotCalledAPortInUse() {
    assertThatThrownBy(
            () ->
                ControllerCommand.bind(
                    "--health-port",
                    ControllerCommand.LOOPBACK,
                    1,
                    () -> {
                      throw new java.net.SocketException("Permission denied");
                    }))
        .isInstanceOf(java.net.SocketException.class);
  }

  @Test
  void outsideAPodItListensOnLoopbackOnly() {
    org.junit.jupiter.api.Assumptions.assumeFalse(ControllerCommand.inPod(), "run in a pod");
    var command = new ControllerCommand();
    new picocli.CommandLine(command).parseArgs();

    assertThat(command.config().bindAddress()).isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0, 0.0.0.0",
    "127.0.0.1, 127.0.0.1",
    "::1, 0:0:0:0:0:0:0:1",
    ":: , 0:0:0:0:0:0:0:0"
  })
  void theBindAddressIsAnIpLiteral(String given, String expected) {
    var command = new ControllerCommand();
    new picocli.CommandLine(command).parseArgs("--bind-address", given);

    assertThat(command.config().bindAddress()).isEqualTo(expected);
  }

  @Test
  void theHealthPortListensOnTheBindAddressOnly() throws Exception {
    try (var health =
        dev.flinkspot.controller.HealthServer.start(
            "127.0.0.1", 0, () -> true, () -> true, () -> "")) {
      var loopback = java.net.URI.create("http://127.0.0.1:" + health.port() + "/healthz");
      var connection = (java.net.HttpURLConnection) loopback.toURL().openConnection();
      assertThat(connection.getResponseCode()).isEqualTo(200);
      // Another address of this host, if it has one: not listened on.
      var other =
          java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
              .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
              .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
              .findFirst();
      org.junit.jupiter.api.Assumptions.assumeTrue(other.isPresent(), "no non-loopback address");
      assertThatThrownBy(
              () -> {
                try (var socket = new java.net.Socket()) {
                  socket.connect(new java.net.InetSocketAddress(other.get(), health.port()), 2_000);
                }
              })
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  @Test
  void anAddressNotOfThisHostIsOneLineAndExitTwo() {
    // 192.0.2.1: TEST-NET-1 (RFC 5737), assigned to no host.
    int code =
        run("controller", "--no-cost-reports", "--bind-address=192.0.2.1", "--health-port=0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "flinkspot: --bind-address 192.0.2.1 is not an address of this host: use 127.0.0.1"
                + " (this host only) or 0.0.0.0 (every interface)");
  }

  @Test
  void helpListsTheOptions() {
    assertThat(run("controller", "--help")).isZero();
    assertThat(out.toString())
        .contains("--namespaces")
        .contains("--[no-]leader-election")
        .contains("--[no-]webhook")
        .contains("default: 8090")
        .contains("--bind-address")
        .contains("FLINKSPOT_LOG_LEVEL")
        .contains("as 5m or PT5M");
  }
}
