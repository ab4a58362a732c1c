package dev.ferry.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a GitSource follows in its repository: exactly one of a branch (its newest commit), a tag
 * (the commit it names, which may move) or a commit id (pinned; never moves). Validation
 * ({@code SemanticChecks}) refuses none or more than one; the unset ones are empty strings.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GitRef(String branch, String tag, String commit) {

  public GitRef {
    branch = branch == null ? "" : branch;
    tag = tag == null ? "" : tag;
    commit = commit == null ? "" : commit;
  }

  public static GitRef branch(String name) {
    return new GitRef(name, "", "");
  }

  public static GitRef tag(String name) {
    return new GitRef("", name, "");
  }

  public static GitRef commit(String id) {
    return new GitRef("", "", id);
  }

  /**
   * The ref as the status shows it and a fetch asks for: {@code main}, {@code tags/v1} or
   * {@code commit} (for a pinned commit the id follows in the revision anyway).
   */
  @JsonIgnore
  public String describe() {
    if (!tag.isEmpty()) {
      return "tags/" + tag;
    }
    return commit.isEmpty() ? branch : "commit";
  }

  @JsonIgnore
  public boolean isEmpty() {
    return branch.isEmpty() && tag.isEmpty() && commit.isEmpty();
  }
}
