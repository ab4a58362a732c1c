package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata every Ferry object carries, shaped like Kubernetes' ObjectMeta.
 *
 * <p>Users write {@code name}, {@code labels} and {@code annotations}; the store owns the rest:
 * {@code uid} and {@code creationTimestamp} are set on create, {@code generation} counts changes
 * of {@code spec}, and {@code resourceVersion} is the etcd mod revision of the stored value
 * (0 when the object has not been stored). Collections are never null.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    String uid,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long generation,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long resourceVersion,
    Instant creationTimestamp,
    Instant deletionTimestamp,
    List<String> finalizers) {

  public ObjectMeta {
    name = name == null ? "" : name;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    uid = uid == null ? "" : uid;
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
  }

  /** Metadata with only a name, as a user would write it. */
  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, Map.of(), Map.of(), "", 0, 0, null, null, List.of());
  }

  public ObjectMeta withLabels(Map<String, String> newLabels) {
    return new ObjectMeta(name, newLabels, annotations, uid, generation, resourceVersion,
        creationTimestamp, deletionTimestamp, finalizers);
  }

  public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
    return new ObjectMeta(name, labels, newAnnotations, uid, generation, resourceVersion,
        creationTimestamp, deletionTimestamp, finalizers);
  }

  public ObjectMeta withFinalizers(List<String> newFinalizers) {
    return new ObjectMeta(name, labels, annotations, uid, generation, resourceVersion,
        creationTimestamp, deletionTimestamp, newFinalizers);
  }

  public ObjectMeta withResourceVersion(long newResourceVersion) {
    return new ObjectMeta(name, labels, annotations, uid, generation, newResourceVersion,
        creationTimestamp, deletionTimestamp, finalizers);
  }

  public ObjectMeta withDeletionTimestamp(Instant when) {
    return new ObjectMeta(name, labels, annotations, uid, generation, resourceVersion,
        creationTimestamp, when, finalizers);
  }

  public Optional<Instant> deletion() {
    return Optional.ofNullable(deletionTimestamp);
  }

  public Optional<Instant> created() {
    return Optional.ofNullable(creationTimestamp);
  }
}
