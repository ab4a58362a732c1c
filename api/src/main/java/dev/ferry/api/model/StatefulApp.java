package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An application (a Marathon app definition) together with its dataset and its placement.
 * The controller keeps the Marathon app and the dataset where the placement says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record StatefulApp(
    String apiVersion, String kind, ObjectMeta metadata, StatefulAppSpec spec, @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EmptyStatus.class) StatefulAppStatus status)
    implements FerryObject<StatefulApp, StatefulAppSpec, StatefulAppStatus> {

  public static final String KIND = "StatefulApp";

  public StatefulApp {
    apiVersion = API_VERSION;
    kind = KIND;
    metadata = metadata == null ? ObjectMeta.named("") : metadata;
    status = status == null ? StatefulAppStatus.EMPTY : status;
  }

  public StatefulApp(ObjectMeta metadata, StatefulAppSpec spec) {
    this(API_VERSION, KIND, metadata, spec, StatefulAppStatus.EMPTY);
  }

  @Override
  public StatefulApp withMetadata(ObjectMeta m) {
    return new StatefulApp(apiVersion, kind, m, spec, status);
  }

  @Override
  public StatefulApp withSpec(StatefulAppSpec s) {
    return new StatefulApp(apiVersion, kind, metadata, s, status);
  }

  @Override
  public StatefulApp withStatus(StatefulAppStatus s) {
    return new StatefulApp(apiVersion, kind, metadata, spec, s);
  }
}
