package dev.flinkspot.cost.live;

import java.math.BigDecimal;

/**
 * A running Flink pod: which component it is, what it requests, and the node it is bound to ({@code
 * null} while Pending: a pending pod costs nothing yet).
 */
public record ObservedPod(
    String name, Component component, BigDecimal cpu, long memoryBytes, String nodeName) {

  /** The two kinds of Flink pod. */
  public enum Component {
    JOB_MANAGER,
    TASK_MANAGER
  }
}
