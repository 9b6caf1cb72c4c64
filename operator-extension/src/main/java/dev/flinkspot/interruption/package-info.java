/**
 * Spot interruption notices, decided from what Kubernetes shows (pure; no client): which Node state
 * means a reclaim notice ({@link NoticeSignal}), which governed deployments have TaskManagers on
 * that node ({@link AffectedDeployments}), and at most one checkpoint per deployment per node per
 * notice window ({@link NoticeWindow}), and whether a warm spare can take the replacement ({@link
 * WarmSpares}). Uses the Kubernetes model classes only.
 */
package dev.flinkspot.interruption;
