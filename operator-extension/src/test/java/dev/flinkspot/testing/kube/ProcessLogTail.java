package dev.flinkspot.testing.kube;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * The logback appender (logback-test.xml) that hands kube-api-test's DEBUG lines of the
 * kube-apiserver's and etcd's output to {@link ProcessLogLines}, and nowhere else: not the console.
 * Only logback's configuration names it, so modules without logback never load it.
 */
public final class ProcessLogTail extends AppenderBase<ILoggingEvent> {

  @Override
  protected void append(ILoggingEvent event) {
    ProcessLogLines.add(event.getLoggerName(), event.getFormattedMessage());
  }
}
