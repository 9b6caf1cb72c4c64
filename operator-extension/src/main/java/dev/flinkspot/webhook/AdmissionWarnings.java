package dev.flinkspot.webhook;

import dev.flinkspot.scaling.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Reactive Mode findings as AdmissionReview warnings: one short line each, naming the field and the
 * fix (the full explanation is in the Event the reconciler records). Kept within what the API
 * server passes on: it truncates a warning beyond 256 characters and drops warnings beyond 4 KiB in
 * total for a request (shared with other webhooks), and Kubernetes asks for 120 where possible.
 */
public final class AdmissionWarnings {

  /** The API server truncates longer warnings. */
  static final int MAX_LENGTH = 256;

  /** Our share of the API server's 4 KiB per request. */
  static final int MAX_TOTAL = 2048;

  static final String PREFIX = "flinkspot: ";

  private AdmissionWarnings() {}

  public static List<String> of(List<Finding> findings) {
    List<String> out = new ArrayList<>();
    int total = 0;
    for (Finding f : findings) {
      String line = fit(PREFIX + f.field() + ": " + brief(f));
      if (total + line.length() > MAX_TOTAL) {
        break;
      }
      out.add(line);
      total += line.length();
    }
    return out;
  }

  /** The whole finding, for a denial's status message (no length limit there). */
  static String full(Finding f) {
    return PREFIX + f.field() + ": " + f.message();
  }

  private static String brief(Finding f) {
    return switch (f.reason()) {
      case NativeMode ->
          "Reactive Mode needs spec.mode: standalone, which the Flink operator cannot change"
              + " after the first deployment; set it before deploying (or recreate)";
      case NotReactive ->
          "not REACTIVE, so each HPA step redeploys at a fixed parallelism; set scheduler-mode:"
              + " REACTIVE";
      case JobParallelismSet ->
          "ignored in Reactive Mode and editing it redeploys; remove spec.job.parallelism";
      case MaxParallelismBelowCapacity ->
          "below scaling.maxTaskManagers x slots, so extra TaskManagers idle; raise"
              + " pipeline.max-parallelism before the first run, or lower maxTaskManagers";
      case NoRestartStrategy ->
          "a lost TaskManager fails the job; set restart-strategy.type: exponential-delay";
      case CheckpointingOff ->
          "each rescale loses the job's state; set execution.checkpointing.interval (e.g. 30s)"
              + " and a durable execution.checkpointing.dir";
      case HpaMaxAbovePolicy ->
          "above the policy's scaling.maxTaskManagers; lower it to the policy's bound";
      case ForeignHpa ->
          "also scales this deployment and fights flinkspot's HPA; delete it and put its bounds"
              + " in the policy";
      case OperatorAutoscalerEnabled ->
          "the Flink operator's autoscaler fights the HPA; set it to false";
      case SessionCluster ->
          "a session cluster cannot run Reactive Mode, so no defaults were added; add spec.job or"
              + " use a policy without scaling";
      case FlinkOneKeyOnFlinkTwo ->
          // the message ends "set <the 2.x key> instead"
          "a Flink 1.x key on Flink 2.x (FLIP-472); "
              + f.message().substring(f.message().lastIndexOf("set "));
      default -> f.message();
    };
  }

  private static String fit(String line) {
    // A warning travels as an HTTP Warning header: one printable line.
    String clean = line.replaceAll("\\p{Cntrl}", " ");
    return clean.length() <= MAX_LENGTH ? clean : clean.substring(0, MAX_LENGTH - 3) + "...";
  }
}
