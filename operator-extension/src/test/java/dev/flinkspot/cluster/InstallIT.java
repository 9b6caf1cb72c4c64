package dev.flinkspot.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flinkspot.cli.CliRun;
import dev.flinkspot.cli.ControllerCommand;
import dev.flinkspot.testing.kube.CommandResult;
import dev.flinkspot.testing.kube.ControlPlaneBinaries;
import dev.flinkspot.testing.kube.ControllerProcess;
import dev.flinkspot.testing.kube.FlinkCrds;
import dev.flinkspot.testing.kube.KubeControlPlane;
import dev.flinkspot.testing.kube.RepoRoot;
import dev.flinkspot.testing.kube.TestNamespaces;
import dev.flinkspot.webhook.WebhookServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The README's "Installing the controller" commands, taken from README.md and run exactly as
 * written (once each, in order, with the kubectl that tools/kube builds) on fresh API servers that
 * have only the Flink operator's CRDs. Each API server runs with {@code --apiserver-count=2}: as on
 * EKS, which runs several, a new CRD is then Established only 5 s after it is created
 * (k8s.io/apiextensions-apiserver, pkg/apiserver/customresource_handler.go), so a policy applied in
 * the same go as its CRD, or without waiting, fails here as it does there. The laptop blocks'
 * controller commands are parsed with the controller's own options, and the one with the webhook is
 * run (the packaged jar): the API server must call it on 127.0.0.1.
 */
class InstallIT {

  static final String INSTALL = "kubectl apply -k k8s/overlays/eks-managed-nodegroups";
  static final String EXAMPLES = "kubectl apply -f k8s/examples/";
  static final String LAPTOP = "kubectl apply -k k8s/overlays/laptop";
  static final String LAPTOP_WEBHOOK = "kubectl apply -k k8s/overlays/laptop-webhook";
  static final String CONTROLLER = "java -jar operator-extension/target/flinkspot.jar controller ";

  static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
  static final String SOME_ROLE = "arn:aws:iam::111122223333:role/eksctl-flinkspot-addon-iamserv";

  private static final Pattern SH_BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final AtomicInteger COPIES = new AtomicInteger();

  @Test
  void theReadmeInstallSucceedsInOneGoOnAFreshCluster() throws IOException {
    try (KubeControlPlane kube = freshCluster()) {
      List<String> commands = readmeBlock(INSTALL);
      assertThat(commands).contains(EXAMPLES);
      commands.forEach(command -> run(kube, command));

      KubernetesClient client = kube.client();
      GenericKubernetesResource policy = policy(client);
      assertThat(policy).as("flink/spot-taskmanagers").isNotNull();
      assertThat(at(policy, "spec", "capacityLabels", "scheme")).isEqualTo("EksManagedNodeGroup");
      assertThat(at(policy, "spec", "scaling", "enforceCheckpointing")).isEqualTo(true);
      assertThat(flinkServiceAccount(client)).isNotNull();
      assertThat(
              client
                  .genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment")
                  .inNamespace("flink")
                  .withName("stock-ticker")
                  .get())
          .isNotNull();
      // Control for the laptop test's check: nothing serves k8s/base's webhook in this test, so
      // the API server let the example's create through without it ("failing open").
      assertThat(failOpenCalls(kube, "placement.flinkspot.dev")).isPositive();

      // eksctl's IRSA step after the install (IRSA added later): it merges its role into the
      // ServiceAccount (an update, as eksctl does); a re-apply of the overlay keeps it.
      ServiceAccount account = flinkServiceAccount(client);
      account.getMetadata().getAnnotations().put(ROLE_ARN, SOME_ROLE);
      client.serviceAccounts().inNamespace("flink").resource(account).update();
      run(kube, INSTALL);
      assertThat(flinkServiceAccount(client).getMetadata().getAnnotations())
          .containsEntry(ROLE_ARN, SOME_ROLE);
    }
  }

  @Test
  void theServiceAccountEksctlCreatedKeepsItsIamRoleThroughTheInstall() {
    try (KubeControlPlane kube = freshCluster()) {
      KubernetesClient client = kube.client();
      // As eksctl's IRSA step (pkg/kubernetes/serviceaccount.go): plain creates, no
      // last-applied-configuration annotation, its managed-by label and the role annotation.
      TestNamespaces.create(client, "flink");
      ServiceAccount created =
          client
              .serviceAccounts()
              .inNamespace("flink")
              .resource(
                  new ServiceAccountBuilder()
                      .withNewMetadata()
                      .withName("flink")
                      .withNamespace("flink")
                      .addToLabels("app.kubernetes.io/part-of", "flinkspot")
                      .addToLabels("app.kubernetes.io/managed-by", "eksctl")
                      .addToAnnotations(ROLE_ARN, SOME_ROLE)
                      .endMetadata()
                      .build())
              .create();

      readmeBlock(INSTALL).forEach(command -> run(kube, command));

      ServiceAccount after = flinkServiceAccount(client);
      assertThat(after.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
      assertThat(after.getMetadata().getAnnotations()).containsEntry(ROLE_ARN, SOME_ROLE);
      assertThat(after.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "eksctl");
      assertThat(policy(client)).isNotNull();
    }
  }

  @Test
  void theLaptopOverlaysLeaveNoWebhookUnservedAndTheLaptopWebhookIsCalled() throws Exception {
    try (KubeControlPlane kube = freshCluster()) {
      KubernetesClient client = kube.client();
      assertThat(readmeBlock(LAPTOP)).contains(EXAMPLES);
      ParseResult noWebhook = runLaptopBlock(kube, LAPTOP);
      assertThat(noWebhook.matchedOptionValue("--webhook", true)).isFalse();

      assertThat(policy(client)).isNotNull();
      assertThat(client.rbac().clusterRoles().withName("flinkspot-controller").get()).isNotNull();
      assertThat(client.apps().deployments().inNamespace("flinkspot-system").list().getItems())
          .isEmpty();
      assertThat(client.services().inNamespace("flinkspot-system").list().getItems()).isEmpty();
      assertThat(webhookConfigurations(client)).isEmpty();
      assertThat(failOpenCalls(kube, "placement.flinkspot.dev")).isZero();

      ParseResult webhook = runLaptopBlock(kube, LAPTOP_WEBHOOK);
      String name = webhook.matchedOptionValue("--webhook-configuration", "flinkspot");
      assertThat(webhook.matchedOptionValue("--webhook", true)).isTrue();
      assertThat(name).isEqualTo("flinkspot-laptop");
      // Where the controller run as the README says listens: its webhook port and path.
      String served =
          "https://127.0.0.1:"
              + webhook.matchedOptionValue(
                  "--webhook-port",
                  Integer.valueOf(
                      webhook.commandSpec().findOption("--webhook-port").defaultValue()))
              + WebhookServer.PATH;
      MutatingWebhookConfiguration config =
          client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
      assertThat(config).as(name).isNotNull();
      assertThat(config.getWebhooks())
          .singleElement()
          .satisfies(
              hook -> {
                assertThat(hook.getClientConfig().getUrl())
                    .isEqualTo(served)
                    .isEqualTo("https://127.0.0.1:9443/mutate");
                assertThat(hook.getClientConfig().getService()).isNull();
                assertThat(hook.getFailurePolicy()).isEqualTo("Ignore");
              });
      assertThat(webhookConfigurations(client)).containsExactly(name);
      // Run as its ServiceAccount, the controller may keep its CA in the renamed configuration.
      CommandResult canPatch =
          kube.kubectl(
              "auth",
              "can-i",
              "patch",
              "mutatingwebhookconfigurations/" + name,
              "--as=system:serviceaccount:flinkspot-system:flinkspot-controller");
      assertThat(canPatch.stdout().strip()).as(canPatch.describe()).isEqualTo("yes");

      // The README's controller command, run as a process (the packaged jar) with this API
      // server's kubeconfig: it keeps its CA in flinkspot-laptop, and the API server, on this
      // host, calls it on 127.0.0.1:9443 when a FlinkDeployment is created.
      try (ControllerProcess controller =
          LaptopController.start(kube, readmeBlock(LAPTOP_WEBHOOK))) {
        await()
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(
                () -> {
                  assertThat(controller.isAlive()).as(controller.log()).isTrue();
                  assertThat(
                          client
                              .admissionRegistration()
                              .v1()
                              .mutatingWebhookConfigurations()
                              .withName(name)
                              .get()
                              .getWebhooks()
                              .get(0)
                              .getClientConfig()
                              .getCaBundle())
                      .isNotBlank();
                });
        // The API server takes up the new caBundle a moment later: until then a create fails
        // open, so create copies until one comes back placed; then one more, not failing open.
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(placed(createExampleCopy(client)))
                        .as("placed at admission; %s", controller.log())
                        .isTrue());
        double failedOpen = failOpenCalls(kube, "placement.flinkspot.dev");
        assertThat(placed(createExampleCopy(client))).as(controller.log()).isTrue();
        assertThat(failOpenCalls(kube, "placement.flinkspot.dev")).isEqualTo(failedOpen);
      }
    }
  }

  /**
   * Creates a copy of k8s/examples/stock-ticker.yaml under a new name and returns it as the API
   * server stored it, after admission and before any reconciler could act. Named, not generateName:
   * without its final name the webhook leaves placement to the reconciler (Placement.place).
   */
  private static GenericKubernetesResource createExampleCopy(KubernetesClient client)
      throws IOException {
    GenericKubernetesResource example =
        client
            .getKubernetesSerialization()
            .unmarshal(
                Files.readString(RepoRoot.find().resolve("k8s/examples/stock-ticker.yaml")),
                GenericKubernetesResource.class);
    example.getMetadata().setName("laptop-" + COPIES.incrementAndGet());
    return client.resource(example).create();
  }

  /** The JobManager pod template requires On-Demand nodes: the placement the webhook writes. */
  private static boolean placed(GenericKubernetesResource deployment) {
    Object affinity = at(deployment, "spec", "jobManager", "podTemplate", "spec", "affinity");
    return affinity != null && affinity.toString().contains("ON_DEMAND");
  }

  /** {@code java -jar target/flinkspot.jar controller ...} as a README block runs it. */
  private static final class LaptopController {
    private LaptopController() {}

    static ControllerProcess start(KubeControlPlane kube, List<String> block) throws IOException {
      String command = block.stream().filter(c -> c.startsWith(CONTROLLER)).findFirst().get();
      List<String> args = new ArrayList<>();
      args.add("controller");
      args.addAll(Arrays.asList(command.substring(CONTROLLER.length()).split(" +")));
      // Health and metrics on free ports: 8080 and 8090 may be taken on a shared machine.
      args.addAll(
          List.of(
              "--health-port=" + ControllerProcess.freePort(),
              "--metrics-port=" + ControllerProcess.freePort()));
      return ControllerProcess.start(kube.kubeconfig(), args, Map.of());
    }
  }

  /**
   * k8s/crds is exactly the CRDs of k8s/base, unchanged (both are applied: they must never undo
   * each other); the README's wait names each of them; the Karpenter overlay renders the one
   * shipped policy with only its capacity-label scheme changed.
   */
  @Test
  void theCrdsKustomizationIsTheBasesCrdsAndTheReadmeWaitsForEach() throws Exception {
    List<JsonNode> crds = kustomize("k8s/crds");
    List<JsonNode> baseCrds =
        kustomize("k8s/base").stream()
            .filter(o -> "CustomResourceDefinition".equals(o.path("kind").asText()))
            .toList();
    assertThat(baseCrds).hasSizeGreaterThanOrEqualTo(2);
    assertThat(crds).containsExactlyInAnyOrderElementsOf(baseCrds);

    String wait =
        readmeBlock(INSTALL).stream()
            .filter(c -> c.startsWith("kubectl wait "))
            .findFirst()
            .orElseThrow();
    assertThat(
            Arrays.stream(wait.split(" +"))
                .filter(w -> w.startsWith("crd/"))
                .map(w -> w.substring("crd/".length())))
        .containsExactlyInAnyOrderElementsOf(
            crds.stream().map(c -> c.path("metadata").path("name").asText()).toList());

    JsonNode eks = onlyPolicy(kustomize("k8s/overlays/eks-managed-nodegroups"));
    ObjectNode karpenter = (ObjectNode) onlyPolicy(kustomize("k8s/overlays/karpenter")).deepCopy();
    assertThat(karpenter.at("/spec/capacityLabels/scheme").asText()).isEqualTo("Karpenter");
    ((ObjectNode) karpenter.at("/spec/capacityLabels"))
        .set("scheme", eks.at("/spec/capacityLabels/scheme"));
    assertThat(karpenter).isEqualTo(eks);
  }

  /**
   * docs/getting-started.md, step 7: the same CRD commands as the README before its own overlay,
   * and that overlay (written by the step's shell lines) lays the plan's bounds over the one
   * shipped policy, keeping the settings the plan does not write, and sets the image.
   */
  @Test
  void theGettingStartedOverlayKeepsOnePolicyWithThePlansBounds(@TempDir Path dir)
      throws Exception {
    Files.createSymbolicLink(dir.resolve("k8s"), RepoRoot.find().resolve("k8s"));
    CliRun plan =
        CliRun.of(
            "plan",
            "--ingest-mb-per-s",
            "10",
            "--region",
            "us-east-1",
            "--output",
            dir.resolve("plan").toString());
    assertThat(plan.exitCode()).as(plan.err()).isZero();

    String doc = Files.readString(RepoRoot.find().resolve("docs/getting-started.md"));
    String block = null;
    for (Matcher m = SH_BLOCK.matcher(doc); m.find(); ) {
      if (m.group(1).contains("kubectl apply -k my-flinkspot\n")) {
        block = m.group(1);
      }
    }
    assertThat(block).as("the getting-started block that applies my-flinkspot").isNotNull();
    List<String> readme = readmeBlock(INSTALL);
    assertThat(block)
        .contains(readme.get(0) + "\n" + readme.get(1) + "\nkubectl apply -k my-flinkspot\n");

    String writeOverlay = block.substring(0, block.indexOf("\nkubectl ") + 1);
    ProcessBuilder shell =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", writeOverlay)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    shell.environment().put("REGISTRY", "registry.example/acme");
    Process bash = shell.start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(writeOverlay + output).isZero();

    List<JsonNode> objects = kustomize(dir, "my-flinkspot");
    JsonNode policy = onlyPolicy(objects);
    JsonNode planned = YAML.readTree(dir.resolve("plan/policy.yaml").toFile());
    assertThat(policy.at("/spec/scaling/minTaskManagers"))
        .isEqualTo(planned.at("/spec/scaling/minTaskManagers"));
    assertThat(policy.at("/spec/scaling/maxTaskManagers"))
        .isEqualTo(planned.at("/spec/scaling/maxTaskManagers"));
    assertThat(policy.at("/spec/scaling/enforceCheckpointing").asBoolean()).isTrue();
    assertThat(policy.at("/spec/jobManager/doNotDisrupt").asBoolean()).isTrue();
    assertThat(
            objects.stream()
                .filter(o -> "Deployment".equals(o.path("kind").asText()))
                .map(o -> o.at("/spec/template/spec/containers/0/image").asText()))
        .containsExactly("registry.example/acme/flinkspot/operator-extension:0.1.0");
  }

  private static KubeControlPlane freshCluster() {
    KubeControlPlane kube = KubeControlPlane.builder().apiServerFlag("--apiserver-count=2").start();
    try {
      FlinkCrds.install(kube.client());
      return kube;
    } catch (RuntimeException e) {
      kube.close();
      throw e;
    }
  }

  /**
   * The commands of the README's shell block that holds {@code anchor} as a command: comments and
   * blank lines dropped. Each must be one plain command (no quoting, variables, pipes or line
   * continuations), so that splitting at spaces is what a shell would do.
   */
  static List<String> readmeBlock(String anchor) {
    String readme;
    try {
      readme = Files.readString(RepoRoot.find().resolve("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<String>> found = new ArrayList<>();
    Matcher block = SH_BLOCK.matcher(readme);
    while (block.find()) {
      List<String> commands = new ArrayList<>();
      for (String line : block.group(1).split("\n")) {
        String command = line.replaceFirst("(^|\\s+)#.*$", "").strip();
        if (!command.isEmpty()) {
          commands.add(command);
        }
      }
      if (commands.contains(anchor)) {
        found.add(commands);
      }
    }
    assertThat(found).as("README shell blocks with the command " + anchor).hasSize(1);
    List<String> commands = found.get(0);
    for (String command : commands) {
      assertThat(command).as("a plain command").doesNotContainPattern("[$\"'`|&;<>\\\\]");
      assertThat(command.startsWith("kubectl ") || command.startsWith(CONTROLLER))
          .as("%s: a kubectl or a controller command", command)
          .isTrue();
    }
    return commands;
  }

  /** Runs one README kubectl command, from the repository root, as written. */
  private static void run(KubeControlPlane kube, String command) {
    String[] args = command.substring("kubectl ".length()).split(" +");
    CommandResult result = kube.kubectl(args);
    if (!result.ok()) {
      fail("README command failed: " + command + "\n" + result.describe());
    }
  }

  /**
   * Runs the kubectl commands of a laptop block and returns how the controller parses the options
   * of its one controller command (which needs a built jar and runs until stopped).
   */
  private static ParseResult runLaptopBlock(KubeControlPlane kube, String anchor) {
    ParseResult controller = null;
    for (String command : readmeBlock(anchor)) {
      if (command.startsWith(CONTROLLER)) {
        assertThat(controller).as("one controller command").isNull();
        controller = controllerArguments(command);
      } else {
        run(kube, command);
      }
    }
    assertThat(controller).as("the block runs the controller").isNotNull();
    return controller;
  }

  /** The controller's options as picocli parses them: an unknown option fails the test. */
  private static ParseResult controllerArguments(String command) {
    String[] args = command.substring(CONTROLLER.length()).split(" +");
    return new CommandLine(new ControllerCommand()).parseArgs(args);
  }

  private static GenericKubernetesResource policy(KubernetesClient client) {
    return client
        .genericKubernetesResources("flinkspot.dev/v1alpha1", "FlinkSpotPolicy")
        .inNamespace("flink")
        .withName("spot-taskmanagers")
        .get();
  }

  private static ServiceAccount flinkServiceAccount(KubernetesClient client) {
    return client.serviceAccounts().inNamespace("flink").withName("flink").get();
  }

  private static Object at(GenericKubernetesResource resource, String... path) {
    Object node = resource.getAdditionalProperties();
    for (String key : path) {
      node = node instanceof Map<?, ?> map ? map.get(key) : null;
    }
    return node;
  }

  private static List<String> webhookConfigurations(KubernetesClient client) {
    return client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .list()
        .getItems()
        .stream()
        .map(c -> c.getMetadata().getName())
        .toList();
  }

  /**
   * How often the API server let a request through because the webhook could not be called
   * (apiserver_admission_webhook_fail_open_count, k8s.io/apiserver pkg/admission/metrics).
   */
  private static double failOpenCalls(KubeControlPlane kube, String webhook) {
    String metrics = kube.kubectl("get", "--raw", "/metrics").orThrow().stdout();
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("apiserver_admission_webhook_fail_open_count{")
          && line.contains("name=\"" + webhook + "\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** {@code kubectl kustomize dir} with our kubectl (no API server needed), parsed. */
  private static List<JsonNode> kustomize(String dir) throws Exception {
    return kustomize(RepoRoot.find(), dir);
  }

  private static List<JsonNode> kustomize(Path workDir, String dir) throws Exception {
    Process kubectl =
        new ProcessBuilder(ControlPlaneBinaries.ensure().kubectl().toString(), "kustomize", dir)
            .directory(workDir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kubectl.exitValue()).as("kubectl kustomize " + dir).isZero();
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        YAML.readValues(YAML.createParser(yaml), JsonNode.class)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
    }
    return objects;
  }

  private static JsonNode onlyPolicy(List<JsonNode> objects) {
    List<JsonNode> policies =
        objects.stream().filter(o -> "FlinkSpotPolicy".equals(o.path("kind").asText())).toList();
    assertThat(policies).hasSize(1);
    return policies.get(0);
  }
}
