package dev.flinkspot.placement;

/** The two kinds of Flink pods a policy places, with their FlinkDeployment spec field. */
public enum Component {
  JOB_MANAGER("jobManager", "jobmanager"),
  TASK_MANAGER("taskManager", "taskmanager");

  private final String specField;
  private final String podComponentLabel;

  Component(String specField, String podComponentLabel) {
    this.specField = specField;
    this.podComponentLabel = podComponentLabel;
  }

  /** The field under {@code spec} that holds this component ({@code jobManager}...). */
  public String specField() {
    return specField;
  }

  /** The value of the {@code component} label the Flink operator puts on these pods. */
  public String podComponentLabel() {
    return podComponentLabel;
  }
}
