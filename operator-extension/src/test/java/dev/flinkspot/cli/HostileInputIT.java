package dev.flinkspot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkspot.testing.kube.RepoRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input to the packaged {@code target/flinkspot.jar} (or {@code -Dflinkspot.jar=PATH}), run
 * as a user runs it under {@code -Xmx256m} so that memory blow-ups show. Every case must end with
 * exit 2 and one readable line on stderr, of bounded length, no OutOfMemoryError and nothing on
 * stdout, before a generous ceiling (a hang guard, not a timing); the escape-sequence case must
 * print a report free of control characters.
 */
class HostileInputIT {
  private static final int MAX_LINE = 1_200;
  private static Path dir;
  private static ServerSocket silentEndpoint;
  private static final List<Socket> held = new ArrayList<>();

  /** What a case must end with. */
  enum Expect {
    REFUSED,
    CLEAN_REPORT
  }

  record Case(
      String name, List<String> args, Map<String, String> env, int ceilingSeconds, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void fixtures() throws IOException {
    dir = Files.createTempDirectory("flinkspot-hostile");
    String example = Files.readString(RepoRoot.find().resolve("k8s/examples/stock-ticker.yaml"));
    String eksctl = Files.readString(RepoRoot.find().resolve("eksctl/cluster.yaml"));
    write(
        "slots.yaml",
        example.replace(
            "taskmanager.numberOfTaskSlots: \"2\"",
            "taskmanager.numberOfTaskSlots: \"2147483647\""));
    write("nested.yaml", "[".repeat(100_000));
    write("unclosed.yaml", "a: [\n");
    write("long-line.yaml", "a: \"" + "x".repeat(30 * 1024 * 1024) + "\"\n");
    write("no-name.yaml", example.replaceFirst("\n  name: stock-ticker\n", "\n"));
    write(
        "escapes.yaml",
        example.replace(
            "\n  name: stock-ticker\n",
            "\n  name: \"evil\\e[31mred\\r\\nINJECTED\\e]0;title\\a\"\n"));
    write("tiny-price.yaml", figure("1e-999999999"));
    write(
        "huge-vcpu.yaml",
        "instanceTypes:\n"
            + "  m5.xlarge: {vcpu: 2147483647, memoryGiB: 16, maxPods: 58, architecture: x86_64}\n");
    write("huge-volume.yaml", eksctl.replaceAll("volumeSize: \\d+", "volumeSize: 99999999999"));
    write("negative-volume.yaml", eksctl.replaceAll("volumeSize: \\d+", "volumeSize: -5"));
    write("bad-kubeconfig.yaml", "apiVersion: v1\nclusters: [\n");
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    write(
        "unreachable-kubeconfig.yaml",
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
          name: gone
        contexts:
        - context: {cluster: gone, user: u, namespace: flink}
          name: gone
        current-context: gone
        users:
        - name: u
          user: {token: not-a-secret}
        """
            .formatted(closedPort));
    // An endpoint that accepts connections and never answers.
    silentEndpoint = new ServerSocket(0);
    Thread acceptor =
        new Thread(
            () -> {
              while (!silentEndpoint.isClosed()) {
                try {
                  held.add(silentEndpoint.accept());
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "silent-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stop() throws IOException {
    silentEndpoint.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  static Stream<Case> cases() {
    String plan = "plan --ingest-mb-per-s 10 --region us-east-1 --output " + dir + "/plan";
    return Stream.of(
        refused("cost --parallelism 2147483647"),
        refused("cost --parallelism " + "9".repeat(100_000)),
        refused("cost " + dir + "/slots.yaml"),
        refused("cost --hours 1e-999999999 --parallelism 4"),
        refused("cost --hours 1e999999999 --parallelism 4"),
        refused("cost --parallelism 4 --hours 1." + "0".repeat(100_000)),
        refused("plan --ingest-mb-per-s 1e999999999 --region us-east-1 --output " + dir + "/p"),
        refused("prices show --prices " + dir + "/tiny-price.yaml"),
        refused("cost --parallelism 4 --prices " + dir + "/huge-vcpu.yaml"),
        refused("cost /dev/zero"),
        refused("cost " + dir + "/nested.yaml"),
        refused("cost " + dir + "/unclosed.yaml"),
        refused("cost " + dir + "/long-line.yaml"),
        refused("cost " + dir + "/no-name.yaml"),
        refused("cost --parallelism 4 --eksctl " + dir + "/huge-volume.yaml"),
        refused("cost --parallelism 4 --eksctl " + dir + "/negative-volume.yaml"),
        refused(plan + " --checkpoint-bucket *"),
        refused(plan + " --node-shape 99999999999x1"),
        refused(plan + " --kafka-topic * --consumer-group * --msk-cluster *"),
        refused(plan + " --kafka-topic stock-ticker --consumer-group flinkspot --msk-cluster *"),
        new Case(
            "report with a malformed kubeconfig",
            List.of("report"),
            Map.of("KUBECONFIG", dir + "/bad-kubeconfig.yaml"),
            30,
            Expect.REFUSED),
        new Case(
            "report against a cluster that is down (own line, no Fabric8 WARN)",
            List.of("report"),
            Map.of("KUBECONFIG", dir + "/unreachable-kubeconfig.yaml"),
            15,
            Expect.REFUSED),
        new Case(
            "prices refresh against an endpoint that never answers (default --timeout)",
            List.of(
                "prices",
                "refresh",
                "--region",
                "us-east-1",
                "--endpoint-url",
                "http://127.0.0.1:" + silentEndpoint.getLocalPort(),
                "--output",
                dir + "/prices.yaml"),
            Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"),
            90,
            Expect.REFUSED),
        new Case(
            "a name with terminal escapes and CR/LF",
            List.of("cost", dir + "/escapes.yaml"),
            Map.of(),
            30,
            Expect.CLEAN_REPORT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileInputIsOneLineExitTwoBoundedAndFast(Case c) throws Exception {
    Path jar =
        Path.of(System.getProperty("flinkspot.jar", "target/flinkspot.jar")).toAbsolutePath();
    assertThat(jar).as("run `mvn package` first").exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString()));
    command.addAll(c.args());
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().remove("KUBECONFIG");
    builder.environment().putAll(c.env());
    Process process = builder.start();
    boolean ended = process.waitFor(c.ceilingSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String stdout = Files.readString(out, StandardCharsets.UTF_8);

    assertThat(ended).as("ended within %d s (hang guard)", c.ceilingSeconds()).isTrue();
    assertThat(stderr).doesNotContain("OutOfMemoryError");
    if (c.expect() == Expect.REFUSED) {
      assertThat(process.exitValue()).as("exit code; stderr: %.300s", stderr).isEqualTo(2);
      assertThat(stderr.lines().toList()).as("stderr lines").hasSize(1);
      assertThat(stderr.strip()).startsWith("flinkspot: ").hasSizeLessThan(MAX_LINE);
      assertThat(stdout).isEmpty();
    } else {
      assertThat(process.exitValue()).as("exit code; stderr: %.300s", stderr).isZero();
      assertThat(stdout.chars().filter(ch -> ch != '\n' && Character.isISOControl(ch)))
          .as("control characters in the report")
          .isEmpty();
      assertThat(stdout).contains("evil[31mredINJECTED");
    }
  }

  private static Case refused(String args) {
    String name =
        args.length() > 120 ? args.substring(0, 60) + "... (" + args.length() + " chars)" : args;
    return new Case(name, List.of(args.split(" ")), Map.of(), 30, Expect.REFUSED);
  }

  private static void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static String figure(String value) {
    return "regions:\n  us-east-1:\n    eks:\n      controlPlaneHour: {value: \""
        + value
        + "\", unit: USD/cluster-hour, asOf: 2026-07-20, source: test}\n";
  }
}
