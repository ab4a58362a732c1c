package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Something that happened to an object, for people to read. Expires through an etcd lease. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Event(String apiVersion, String kind, ObjectMeta metadata, EventSpec spec, @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EmptyStatus.class) EventStatus status)
    implements FerryObject<Event, EventSpec, EventStatus> {

  public static final String KIND = "Event";

  public Event {
    apiVersion = API_VERSION;
    kind = KIND;
    metadata = metadata == null ? ObjectMeta.named("") : metadata;
    status = status == null ? EventStatus.EMPTY : status;
  }

  public Event(ObjectMeta metadata, EventSpec spec) {
    this(API_VERSION, KIND, metadata, spec, EventStatus.EMPTY);
  }

  @Override
  public Event withMetadata(ObjectMeta m) {
    return new Event(apiVersion, kind, m, spec, status);
  }

  @Override
  public Event withSpec(EventSpec s) {
    return new Event(apiVersion, kind, metadata, s, status);
  }

  @Override
  public Event withStatus(EventStatus s) {
    return new Event(apiVersion, kind, metadata, spec, s);
  }
}
