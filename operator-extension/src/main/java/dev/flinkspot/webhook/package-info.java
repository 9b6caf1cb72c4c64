/**
 * The admission webhook: an HTTPS server and the AdmissionReview adapter over
 * desired.DesiredDeployment. Uses desired, policy, scaling, kube and common; only controller (which
 * serves it) uses it.
 */
package dev.flinkspot.webhook;
