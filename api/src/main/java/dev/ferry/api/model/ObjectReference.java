package dev.ferry.api.model;

/** Points at an object by kind and name, and uid to tell apart objects that reused a name. */
public record ObjectReference(String kind, String name, String uid) {

  public ObjectReference {
    uid = uid == null ? "" : uid;
  }

  public static ObjectReference to(FerryObject<?, ?, ?> object) {
    return new ObjectReference(object.kind(), object.name(), object.metadata().uid());
  }
}
