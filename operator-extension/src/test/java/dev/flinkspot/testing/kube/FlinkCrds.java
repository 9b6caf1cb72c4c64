package dev.flinkspot.testing.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The Apache Flink Kubernetes Operator CRDs exactly as the {@code flink-kubernetes-operator-api}
 * jar ships them ({@code META-INF/fabric8/*-v1.yml}; the {@code -v1beta1.yml} twins are for the
 * {@code apiextensions.k8s.io/v1beta1} API that Kubernetes removed in 1.22).
 */
public final class FlinkCrds {

  private static final String DIR = "META-INF/fabric8/";
  private static final String ANCHOR = DIR + "flinkdeployments.flink.apache.org-v1.yml";

  private FlinkCrds() {}

  private static List<Crd> shipped;

  /** The CRD documents in the jar, by entry name. */
  public static synchronized List<Crd> shipped() {
    if (shipped == null) {
      shipped = List.copyOf(read());
    }
    return shipped;
  }

  private static List<Crd> read() {
    URL anchor = FlinkCrds.class.getClassLoader().getResource(ANCHOR);
    if (anchor == null) {
      throw new IllegalStateException(ANCHOR + " not on the test classpath");
    }
    try {
      var connection = (JarURLConnection) anchor.openConnection();
      connection.setUseCaches(false);
      List<Crd> crds = new ArrayList<>();
      try (JarFile jar = connection.getJarFile()) {
        for (JarEntry entry : jar.stream().toList()) {
          String name = entry.getName();
          if (name.startsWith(DIR) && name.endsWith("-v1.yml")) {
            try (InputStream in = jar.getInputStream(entry)) {
              crds.add(new Crd(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
          }
        }
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
