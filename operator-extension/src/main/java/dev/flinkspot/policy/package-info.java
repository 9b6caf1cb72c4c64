/**
 * The FlinkSpotPolicy: its model and CRD, validation into a PlacementPolicy, and which policy
 * governs a deployment (PolicyResolver). Pure; uses scaling (the scaling part of a policy).
 */
package dev.flinkspot.policy;
