package dev.flinkspot.kube;

/** The object an Event is about. */
public record EventTarget(
    String apiVersion, String kind, String namespace, String name, String uid) {}
