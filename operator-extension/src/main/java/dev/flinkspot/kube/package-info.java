/**
 * Kubernetes plumbing every effect shares: the names flinkspot shares with the API (FlinkDeployment
 * kind, managed-by and pool labels), the one owner reference, the Writer (every write and its Write
 * result: conflict and ownership rules in one place) and the Event recorder (de-duplicated on the
 * state, one Event per object and change through an EventBatch). Uses only Fabric8; no domain rule.
 */
package dev.flinkspot.kube;
