package dev.flinkspot.flink;

import java.net.URI;

/**
 * Where a FlinkDeployment's JobManager REST API answers. Production uses the REST Service the Flink
 * Kubernetes Operator creates for each deployment, {@code <name>-rest} in its namespace on {@code
 * rest.port} (flink-kubernetes {@code ExternalServiceDecorator}: {@code <cluster-id>-rest}); tests
 * point it at a local server or a real Flink JobManager.
 */
@FunctionalInterface
public interface JobManagerAddress {

  /** The base URI of the REST API (scheme, host and port; no path). */
  URI restBase(String namespace, String deployment, int restPort);

  /** {@code http://<name>-rest.<namespace>.svc:<rest.port>}, the in-cluster Service DNS name. */
  static JobManagerAddress serviceDns() {
    return (namespace, deployment, port) ->
        URI.create("http://" + deployment + "-rest." + namespace + ".svc:" + port);
  }
}
