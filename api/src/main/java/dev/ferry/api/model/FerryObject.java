package dev.ferry.api.model;

/**
 * A Ferry object: {@code apiVersion}, {@code kind}, {@code metadata}, a {@code spec} that users
 * write and a {@code status} that only Ferry writes.
 *
 * @param <O> the object's own type, so that the copy methods return it
 * @param <S> its spec
 * @param <T> its status
 */
public sealed interface FerryObject<O extends FerryObject<O, S, T>, S, T>
    permits StatefulApp, Node, Dataset, Migration, Event, GitSource {

  String API_VERSION = "ferry/v1";

  String apiVersion();

  String kind();

  ObjectMeta metadata();

  S spec();

  T status();

  O withMetadata(ObjectMeta metadata);

  O withSpec(S spec);

  O withStatus(T status);

  default String name() {
    return metadata().name();
  }
}
