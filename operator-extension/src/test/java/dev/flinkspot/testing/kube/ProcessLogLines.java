package dev.flinkspot.testing.kube;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The last lines kube-api-test read from the kube-apiserver and etcd it started, kept by {@link
 * ProcessLogTail} where logback runs the tests, so that a failed start says why in its message: a
 * port taken, a flag refused, etcd unreachable. Free of logback itself, so that the modules logging
 * with log4j (e2e/, whose Flink harness needs it) can start a control plane too; there nothing is
 * kept and the message says so. Bounded: {@link #KEPT} lines of at most {@link #LINE_CHARS}
 * characters per process.
 */
public final class ProcessLogLines {

  /** kube-api-test logs the kube-apiserver's output at DEBUG under this logger. */
  public static final String API_SERVER =
      "io.fabric8.kubeapitest.process.KubeAPIServerProcess.APIServerProcessLogs";

  /** kube-api-test logs etcd's output at DEBUG under this logger. */
  public static final String ETCD = "io.fabric8.kubeapitest.process.EtcdProcess.EtcdProcessLogs";

  static final int KEPT = 200;
  static final int LINE_CHARS = 500;

  private static final Map<String, Deque<String>> LINES = new HashMap<>();

  private ProcessLogLines() {}

  /** Keeps {@code line} as the newest of {@code logger}, dropping the oldest past {@link #KEPT}. */
  static void add(String logger, String line) {
    String kept = line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + "..." : line;
    synchronized (LINES) {
      Deque<String> lines = LINES.computeIfAbsent(logger, k -> new ArrayDeque<>());
      if (lines.size() == KEPT) {
        lines.removeFirst();
      }
      lines.addLast(kept);
    }
  }

  /** Forgets what was kept: a new control plane starts (one at a time per JVM). */
  public static void clear() {
    synchronized (LINES) {
      LINES.clear();
    }
  }

  /** The last {@code n} lines of {@code logger}, one per line, or a note that there were none. */
  public static String tail(String logger, int n) {
    synchronized (LINES) {
      Deque<String> lines = LINES.getOrDefault(logger, new ArrayDeque<>());
      if (lines.isEmpty()) {
        return "  (no output captured)";
      }
      return String.join(
          "\n", lines.stream().skip(Math.max(0, lines.size() - n)).map(l -> "  " + l).toList());
    }
  }
}
