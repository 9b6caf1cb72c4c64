/**
 * The running controller, as effects over the pure packages: ControllerRuntime keeps the shared
 * informers, the policy index and the Lease; each Loop (placement + HPA, policy status, cost
 * reports, webhook) does one duty and writes through kube.Writer. Loops.standard builds the list
 * for production, tests and benchmarks. Uses everything except cli; only cli uses it.
 */
package dev.flinkspot.controller;
