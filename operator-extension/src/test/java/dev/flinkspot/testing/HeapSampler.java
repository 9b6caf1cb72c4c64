package dev.flinkspot.testing;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most heap this JVM used, sampled every 20 ms on a daemon thread until closed: garbage
 * included, so under load it runs up to {@code -Xmx}; for printed figures, never for assertions.
 */
public final class HeapSampler implements AutoCloseable {

  private final AtomicLong mostUsed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private HeapSampler() {
    thread =
        new Thread(
            () -> {
              var memory = ManagementFactory.getMemoryMXBean();
              while (running) {
                mostUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    thread.setDaemon(true);
  }

  /** A sampler, sampling from now on. */
  public static HeapSampler start() {
    HeapSampler sampler = new HeapSampler();
    sampler.thread.start();
    return sampler;
  }

  /** The most heap used in bytes so far. */
  public long mostUsed() {
    return mostUsed.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
