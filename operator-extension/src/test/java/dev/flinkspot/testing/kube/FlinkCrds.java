package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Apache Flink Kubernetes Operator CRDs of the release {@code k8s/addons} pins (1.15.0: it
 * accepts {@code flinkVersion} v1_19..v2_2 and a nested {@code flinkConfiguration}), byte for byte
 * from the release tag, in {@code src/test/resources/flink-operator-crds/} (the operator API jar of
 * that release is not on Maven Central here). Every API-server test installs these, so the
 * controller is proven against the schema of the operator it runs next to.
 */
public final class FlinkCrds {

  /** The operator release whose CRDs are installed. */
  public static final String OPERATOR_RELEASE = "1.15.0";

  private static final String DIR = "flink-operator-crds/" + OPERATOR_RELEASE + "/";
  private static final List<String> NAMES =
      List.of(
          "flinkdeployments.flink.apache.org-v1.yml",
          "flinksessionjobs.flink.apache.org-v1.yml",
          "flinkstatesnapshots.flink.apache.org-v1.yml");

  private FlinkCrds() {}

  private static List<Crd> shipped;

  /** The CRD documents of the pinned release, by file name. */
  public static synchronized List<Crd> shipped() {
    if (shipped == null) {
      shipped = List.copyOf(read());
    }
    return shipped;
  }

  private static List<Crd> read() {
    List<Crd> crds = new ArrayList<>();
    for (String name : NAMES) {
      try (InputStream in = FlinkCrds.class.getClassLoader().getResourceAsStream(DIR + name)) {
        if (in == null) {
          throw new IllegalStateException(DIR + name + " not on the test classpath");
        }
        crds.add(new Crd(DIR + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return crds;
  }

  /**
   * Creates (server-side apply) every shipped CRD that is not Established on the server yet, and
   * waits until each is; cheap when they are there already.
   */
  public static void install(KubernetesClient client) {
    for (Crd crd : shipped()) {
      CustomResourceDefinition definition = crd.definition();
      var existing =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(definition.getMetadata().getName())
              .get();
      if (!established(existing)) {
        apply(client, definition);
      }
    }
  }

  /** The Flink operator's CRDs and both of flinkspot's (policies, cost reports), Established. */
  public static void installWithFlinkspots(KubernetesClient client) {
    install(client);
    apply(client, flinkspot("flinkspotpolicies.flinkspot.dev"));
    apply(client, flinkspot("flinkcostreports.flinkspot.dev"));
  }

  /** {@link #install} and flinkspot's FlinkSpotPolicy CRD: what a placement test needs. */
  public static void installWithPolicies(KubernetesClient client) {
    install(client);
    apply(client, flinkspot("flinkspotpolicies.flinkspot.dev"));
  }

  /**
   * One of flinkspot's own CRDs as shipped in {@code k8s/base}, e.g. {@code
   * flinkspotpolicies.flinkspot.dev} or {@code flinkcostreports.flinkspot.dev}.
   */
  public static CustomResourceDefinition flinkspot(String name) {
    try {
      String yaml =
          java.nio.file.Files.readString(RepoRoot.find().resolve("k8s/base/" + name + ".yaml"));
      return new KubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies one CRD and waits until the API server serves it. */
  public static CustomResourceDefinition apply(
      KubernetesClient client, CustomResourceDefinition crd) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.resource(crd).forceConflicts().serverSideApply();
    return crds.withName(crd.getMetadata().getName())
        .waitUntilCondition(FlinkCrds::established, 60, TimeUnit.SECONDS);
  }

  static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** One CRD document as shipped. */
  public record Crd(String entry, String yaml) {
    public CustomResourceDefinition definition() {
      return new KubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
    }

    @Override
    public String toString() {
      return entry;
    }
  }
}
