/**
 * Reactive Mode and the HPA, decided: the defaults a scaling policy adds, the findings (validator),
 * the HPA spec and its drift. Pure; uses flink, kube (names, owner reference) and common.
 */
package dev.flinkspot.scaling;
