package dev.flinkspot.cost.catalog;

import java.math.BigDecimal;

/**
 * What an EC2 instance type offers: vCPUs, memory, and the pod limit EKS AMIs apply (which also
 * sizes the kubelet's memory reservation).
 */
public record InstanceTypeSpec(int vcpu, BigDecimal memoryGiB, int maxPods, String architecture) {}
