package dev.flinkspot.testing.kube;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The last lines kube-api-test read from the kube-apiserver and etcd it started (it logs their
 * output at DEBUG under {@link #API_SERVER} and {@link #ETCD}; logback-test.xml routes those here
 * only, not to the console), so that a failed start says why in its message: a port taken, a flag
 * refused, etcd unreachable. Bounded: {@link #KEPT} lines of at most {@link #LINE_CHARS} characters
 * per process.
 */
public final class ProcessLogTail extends AppenderBase<ILoggingEvent> {

  public static final String API_SERVER =
      "io.fabric8.kubeapitest.process.KubeAPIServerProcess.APIServerProcessLogs";
  public static final String ETCD = "io.fabric8.kubeapitest.process.EtcdProcess.EtcdProcessLogs";
  static final int KEPT = 200;
  static final int LINE_CHARS = 500;

  private static final Map<String, Deque<String>> LINES = new HashMap<>();

  @Override
  protected void append(ILoggingEvent event) {
    String line = event.getFormattedMessage();
    if (line.length() > LINE_CHARS) {
      line = line.substring(0, LINE_CHARS) + "...";
    }
    synchronized (LINES) {
      Deque<String> lines = LINES.computeIfAbsent(event.getLoggerName(), k -> new ArrayDeque<>());
      if (lines.size() == KEPT) {
        lines.removeFirst();
      }
      lines.addLast(line);
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
