package dev.flinkspot.webhook;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;

import dev.flinkspot.policy.StaticPolicyLookup;
import dev.flinkspot.testing.HeapSampler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@link WebhookServer} in a JVM of its own, so a test can give it a small heap and watch
 * it survive abuse. Serves the certificate whose PEM files are in {@code args[0]}, prints {@code
 * port N}, answers {@code peak} with the peak heap used in bytes, and stops when standard input
 * closes.
 */
public final class WebhookServerChild {
  private WebhookServerChild() {}

  public static void main(String[] args) throws Exception {
    HeapSampler heap = HeapSampler.start(); // runs until the JVM exits
    Path dir = Path.of(args[0]);
    WebhookCertificate certificate =
        new WebhookCertificate(
            Files.readString(dir.resolve("ca.pem")),
            Files.readString(dir.resolve("ca-key.pem")),
            Files.readString(dir.resolve("cert.pem")),
            Files.readString(dir.resolve("key.pem")));
    var policies =
        new StaticPolicyLookup().put("flink", "spot-taskmanagers", spec(SPOT_TASKMANAGERS));
    try (WebhookServer server =
        WebhookServer.start(
            "127.0.0.1", 0, certificate, new AdmissionHandler(policies), 2, t -> {})) {
      System.out.println("port " + server.port());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("peak")) {
          System.out.println("peak " + heap.mostUsed());
          System.out.flush();
        }
      }
    }
  }
}
