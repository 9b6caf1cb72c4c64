package dev.flinkspot.controller;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.flinkspot.testing.HeapSampler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What one benchmark phase cost this machine, for the printed figures (not a test): this JVM's heap
 * and the CPU time of this JVM and of its child processes (the kube-apiserver and etcd of {@code
 * KubeControlPlane}), with the load average, since the machine is shared.
 *
 * <p>Heap, two figures, both of the whole heap at one moment (the sum of per-pool peaks, which the
 * pools reach at different times, overstates it): the most used, sampled every 20 ms (garbage
 * included, so it runs up to {@code -Xmx} under any load), and the most left after a collection
 * (from the JVM's GC notifications: after a young collection the old generation still holds garbage
 * not yet marked, so this is an upper bound of the live set). The second is what must stay under
 * {@code -Xmx}: a live set that reaches it is an {@link OutOfMemoryError}.
 */
final class PhaseMeter implements AutoCloseable {

  private static final Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(p -> p.getName())
          .collect(Collectors.toSet());

  private final AtomicLong mostAfterGc = new AtomicLong();
  private final Map<String, Duration> cpuBefore = cpuTimes();
  private final String loadBefore = load();
  private final long start = System.nanoTime();
  private final NotificationListener onGc = (n, handback) -> afterGc(n.getUserData());
  private final HeapSampler sampler = HeapSampler.start();

  PhaseMeter() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(onGc, null, null);
    }
  }

  private void afterGc(Object data) {
    if (data instanceof CompositeData c) {
      var info = GarbageCollectionNotificationInfo.from(c).getGcInfo();
      long used =
          info.getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> HEAP_POOLS.contains(e.getKey()))
              .map(Map.Entry::getValue)
              .mapToLong(MemoryUsage::getUsed)
              .sum();
      mostAfterGc.accumulateAndGet(used, Math::max);
    }
  }

  /** "heap: at most N MB used (sampled), at most M MB after a collection, of X MB". */
  String heap() {
    return String.format(
        "heap (this JVM, -Xmx %d MB): at most %d MB after a collection (live set bound), %d MB"
            + " used at most (garbage included, sampled every 20 ms)",
        Runtime.getRuntime().maxMemory() >> 20, mostAfterGc.get() >> 20, sampler.mostUsed() >> 20);
  }

  /** CPU seconds per process since the start, the wall time and the machine's load. */
  String cpu() {
    Map<String, Duration> now = cpuTimes();
    StringBuilder out = new StringBuilder("CPU over ");
    out.append(String.format("%.0f s wall:", (System.nanoTime() - start) / 1e9));
    now.forEach(
        (name, t) ->
            out.append(
                String.format(
                    " %s %.0f s,",
                    name, t.minus(cpuBefore.getOrDefault(name, Duration.ZERO)).toMillis() / 1e3)));
    out.append(
        String.format(
            " %d cores; load average %s -> %s (the machine is shared)",
            Runtime.getRuntime().availableProcessors(), loadBefore, load()));
    return out.toString();
  }

  /** Total CPU time of this JVM and of each child process, by command name. */
  private static Map<String, Duration> cpuTimes() {
    Map<String, Duration> byName = new TreeMap<>();
    var self = ProcessHandle.current();
    byName.put("this JVM", self.info().totalCpuDuration().orElse(Duration.ZERO));
    self.descendants()
        .forEach(
            p ->
                byName.merge(
                    Path.of(p.info().command().orElse("?")).getFileName().toString(),
                    p.info().totalCpuDuration().orElse(Duration.ZERO),
                    Duration::plus));
    return byName;
  }

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + "/" + parts[1];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  @Override
  public void close() {
    sampler.close();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) gc).removeNotificationListener(onGc);
      } catch (javax.management.ListenerNotFoundException e) {
        // not added
      }
    }
  }
}
