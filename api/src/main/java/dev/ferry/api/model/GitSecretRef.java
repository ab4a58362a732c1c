package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a GitSource's credentials are: the folder {@code name} in the controller's
 * {@code gitops.credentialsDir}, laid out as a mounted Kubernetes Secret, one file per key
 * ({@code username}, {@code password}, {@code identity}, {@code known_hosts},
 * {@code webhook-secret}). Only the name is in the GitSource, so a {@code view} token never
 * reads a secret; {@link #NONE} (an empty name) means a public repository and no webhook.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GitSecretRef(String name) {

  public static final GitSecretRef NONE = new GitSecretRef("");

  public GitSecretRef {
    name = name == null ? "" : name;
  }

  @JsonIgnore
  public boolean isEmpty() {
    return name.isEmpty();
  }
}
