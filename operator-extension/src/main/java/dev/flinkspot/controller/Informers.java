package dev.flinkspot.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** One informer for all namespaces, or one per watched namespace, read as one cache. */
public final class Informers<T extends HasMetadata> implements AutoCloseable {

  private final List<SharedIndexInformer<T>> informers = new ArrayList<>();

  public Informers(List<String> namespaces, Function<String, SharedIndexInformer<T>> create) {
    if (namespaces.isEmpty()) {
      informers.add(create.apply(null));
    } else {
      namespaces.forEach(ns -> informers.add(create.apply(ns)));
    }
  }

  public void addEventHandler(ResourceEventHandler<T> handler) {
    informers.forEach(i -> i.addEventHandler(handler));
  }

  public CompletableFuture<Void> start() {
    return CompletableFuture.allOf(
        informers.stream()
            .map(i -> i.start().toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  public boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  public T get(String namespace, String name) {
    for (var informer : informers) {
      T item = informer.getStore().getByKey(namespace + "/" + name);
      if (item != null) {
        return item;
      }
    }
    return null;
  }

  public List<T> inNamespace(String namespace) {
    List<T> out = new ArrayList<>();
    for (var informer : informers) {
      out.addAll(informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
    }
    return out;
  }

  /** Items under {@code key} of an indexer added to every informer. */
  public List<T> byIndex(String index, String key) {
    List<T> out = new ArrayList<>();
    for (var informer : informers) {
      out.addAll(informer.getIndexer().byIndex(index, key));
    }
    return out;
  }

  public List<T> inNamespaceAll() {
    List<T> out = new ArrayList<>();
    for (var informer : informers) {
      out.addAll(informer.getStore().list());
    }
    return out;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
