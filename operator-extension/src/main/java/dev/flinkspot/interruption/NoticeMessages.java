package dev.flinkspot.interruption;

import dev.flinkspot.flink.CheckpointOutcome;
import java.net.URI;
import java.util.Locale;

/** The wording of the notice Events: what happened, and for a failure the fix. */
public final class NoticeMessages {

  private static final java.util.regex.Pattern NOTICE_NODE =
      java.util.regex.Pattern.compile("^node (\\S+) shows ");
  private static final java.util.regex.Pattern NOTICE_SIGNAL =
      java.util.regex.Pattern.compile("^node \\S+ shows (\\S+) ");
  // Node names are DNS subdomains (lower case, digits, '-', '.'); a ':' may follow.
  private static final java.util.regex.Pattern CHECKPOINT_NODE =
      java.util.regex.Pattern.compile("on the notice of ([a-z0-9.-]*[a-z0-9])");

  private NoticeMessages() {}

  /** The node a {@link #notice} message names (a new leader reads its predecessor's Events). */
  public static java.util.Optional<String> nodeOf(String noticeMessage) {
    var m = NOTICE_NODE.matcher(noticeMessage == null ? "" : noticeMessage);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  /** The signal label a {@link #notice} message names. */
  public static java.util.Optional<String> signalOf(String noticeMessage) {
    var m = NOTICE_SIGNAL.matcher(noticeMessage == null ? "" : noticeMessage);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  /** The node a {@link #checkpoint} message (or the "too many notices" one) names. */
  public static java.util.Optional<String> checkpointNodeOf(String checkpointMessage) {
    var m = CHECKPOINT_NODE.matcher(checkpointMessage == null ? "" : checkpointMessage);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  /** {@code SpotNotice}: the node, the signal, the TaskManagers on it. */
  public static String notice(NodeNotice.Affected a) {
    return "node "
        + a.node()
        + " shows "
        + a.signal().label()
        + (a.signal().taintKey() == null ? " (cordoned)" : " (taint " + a.signal().taintKey() + ")")
        + "; TaskManagers on it: "
        + String.join(", ", a.taskManagers())
        + "; taking a checkpoint";
  }

  /** {@code CheckpointOnNotice} or {@code CheckpointOnNoticeFailed}: the outcome and the fix. */
  public static String checkpoint(String node, URI restBase, CheckpointOutcome o) {
    String seconds = String.format(Locale.ROOT, "%.1f s", o.took().toMillis() / 1000.0);
    return switch (o.result()) {
      case COMPLETED ->
          "checkpoint "
              + o.checkpointId()
              + " completed in "
              + seconds
              + " on the notice of "
              + node;
      case FAILED ->
          "checkpoint on the notice of " + node + " failed after " + seconds + ": " + o.detail();
      case NO_RUNNING_JOB ->
          "no checkpoint on the notice of " + node + ": " + o.detail() + " (nothing to save)";
      case UNREACHABLE ->
          "no checkpoint on the notice of "
              + node
              + ": JobManager REST API at "
              + restBase
              + " unreachable ("
              + o.detail()
              + "); allow the controller to reach the JobManager REST port (a NetworkPolicy"
              + " ingress rule from the flinkspot controller to port "
              + restBase.getPort()
              + ")";
      case BAD_RESPONSE ->
          "no checkpoint on the notice of "
              + node
              + ": "
              + o.detail()
              + " (Flink 1.17 or later is needed for POST /jobs/<id>/checkpoints)";
      case TIMED_OUT ->
          "checkpoint on the notice of "
              + node
              + " not done within "
              + seconds
              + " ("
              + o.detail()
              + "); checkpoints slower than the 2-minute notice cannot save the work since the"
              + " last one";
    };
  }
}
