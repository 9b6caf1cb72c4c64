package dev.flinkspot.cost.live;

import java.math.BigDecimal;

/**
 * A running Flink pod, or a warm-spare placeholder: which component it is, what it requests, and
 * the node it is bound to ({@code null} while Pending: a pending pod costs nothing yet).
 */
public record ObservedPod(
    String name, Component component, BigDecimal cpu, long memoryBytes, String nodeName) {

  /** The two kinds of Flink pod, and the placeholders that stand by for a TaskManager. */
  public enum Component {
    JOB_MANAGER,
    TASK_MANAGER,
    /** A warm-spare placeholder: priced on its own line, never counted as a TaskManager. */
    SPARE
  }
}
