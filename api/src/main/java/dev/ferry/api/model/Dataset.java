package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A ZFS filesystem that Ferry keeps on its primary node and copies between nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Dataset(String apiVersion, String kind, ObjectMeta metadata, DatasetSpec spec, @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EmptyStatus.class) DatasetStatus status)
    implements FerryObject<Dataset, DatasetSpec, DatasetStatus> {

  public static final String KIND = "Dataset";

  public Dataset {
    apiVersion = API_VERSION;
    kind = KIND;
    metadata = metadata == null ? ObjectMeta.named("") : metadata;
    status = status == null ? DatasetStatus.EMPTY : status;
  }

  public Dataset(ObjectMeta metadata, DatasetSpec spec) {
    this(API_VERSION, KIND, metadata, spec, DatasetStatus.EMPTY);
  }

  @Override
  public Dataset withMetadata(ObjectMeta m) {
    return new Dataset(apiVersion, kind, m, spec, status);
  }

  @Override
  public Dataset withSpec(DatasetSpec s) {
    return new Dataset(apiVersion, kind, metadata, s, status);
  }

  @Override
  public Dataset withStatus(DatasetStatus s) {
    return new Dataset(apiVersion, kind, metadata, spec, s);
  }
}
