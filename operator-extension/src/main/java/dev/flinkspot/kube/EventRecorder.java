package dev.flinkspot.kube;

/**
 * Records a controller decision as a Kubernetes Event. Implementations de-duplicate: the same
 * reason and message for the same object is recorded once.
 */
public interface EventRecorder {

  void record(EventTarget target, EventReason reason, String message);
}
