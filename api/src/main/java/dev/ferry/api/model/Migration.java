package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One move of a dataset (and its app) from one node to another. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Migration(String apiVersion, String kind, ObjectMeta metadata, MigrationSpec spec, @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EmptyStatus.class) MigrationStatus status)
    implements FerryObject<Migration, MigrationSpec, MigrationStatus> {

  public static final String KIND = "Migration";

  public Migration {
    apiVersion = API_VERSION;
    kind = KIND;
    metadata = metadata == null ? ObjectMeta.named("") : metadata;
    status = status == null ? MigrationStatus.EMPTY : status;
  }

  public Migration(ObjectMeta metadata, MigrationSpec spec) {
    this(API_VERSION, KIND, metadata, spec, MigrationStatus.EMPTY);
  }

  @Override
  public Migration withMetadata(ObjectMeta m) {
    return new Migration(apiVersion, kind, m, spec, status);
  }

  @Override
  public Migration withSpec(MigrationSpec s) {
    return new Migration(apiVersion, kind, metadata, s, status);
  }

  @Override
  public Migration withStatus(MigrationStatus s) {
    return new Migration(apiVersion, kind, metadata, spec, s);
  }
}
