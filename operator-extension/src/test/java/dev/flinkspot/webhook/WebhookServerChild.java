package dev.flinkspot.webhook;

import static dev.flinkspot.policy.PolicyFixtures.SPOT_TASKMANAGERS;
import static dev.flinkspot.policy.PolicyFixtures.spec;

import dev.flinkspot.policy.StaticPolicyLookup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real {@link WebhookServer} in a JVM of its own, so a test can give it a small heap and watch
 * it survive abuse. Serves the certificate whose PEM files are in {@code args[0]}, prints {@code
 * port N}, answers {@code peak} with the peak heap used in bytes, and stops when standard input
 * closes.
 */
public final class WebhookServerChild {
  private WebhookServerChild() {}

  private static final AtomicLong PEAK = new AtomicLong();

  public static void main(String[] args) throws Exception {
    Thread sampler =
        new Thread(
            () -> {
              var memory = ManagementFactory.getMemoryMXBean();
              while (true) {
                PEAK.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
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
          System.out.println("peak " + peakHeap());
          System.out.flush();
        }
      }
    }
  }

  private static long peakHeap() {
    return PEAK.get();
  }
}
