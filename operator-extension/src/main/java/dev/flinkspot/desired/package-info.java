/**
 * What a governed FlinkDeployment and its HPA should look like: DesiredDeployment (placement,
 * Reactive Mode defaults, findings) is the one answer the webhook and the reconciler act on;
 * HpaDecision, SpareDecision (the warm-spare Deployment), the policy-status reports and the JSON
 * Patch diff. Pure (no client); uses policy, placement, scaling, kube names, common and the
 * TaskManager size reader of cost.workload. Nothing below the controller, webhook and CLI uses it.
 */
package dev.flinkspot.desired;
