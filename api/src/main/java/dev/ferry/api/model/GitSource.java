package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A git repository whose manifests the controller keeps applied (GitOps). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record GitSource(String apiVersion, String kind, ObjectMeta metadata, GitSourceSpec spec, @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EmptyStatus.class) GitSourceStatus status)
    implements FerryObject<GitSource, GitSourceSpec, GitSourceStatus> {

  public static final String KIND = "GitSource";
  /**
   * The label on every object a GitSource applied, whose value is the GitSource's name. A user's
   * apply that leaves it out keeps it (the object stays the GitSource's, and shows as drifted).
   */
  public static final String OWNER_LABEL = "ferry.dev/gitsource";

  public GitSource {
    apiVersion = API_VERSION;
    kind = KIND;
    metadata = metadata == null ? ObjectMeta.named("") : metadata;
    status = status == null ? GitSourceStatus.EMPTY : status;
  }

  public GitSource(ObjectMeta metadata, GitSourceSpec spec) {
    this(API_VERSION, KIND, metadata, spec, GitSourceStatus.EMPTY);
  }

  @Override
  public GitSource withMetadata(ObjectMeta m) {
    return new GitSource(apiVersion, kind, m, spec, status);
  }

  @Override
  public GitSource withSpec(GitSourceSpec s) {
    return new GitSource(apiVersion, kind, metadata, s, status);
  }

  @Override
  public GitSource withStatus(GitSourceStatus s) {
    return new GitSource(apiVersion, kind, metadata, spec, s);
  }
}
