package dev.ferry.cli;

import dev.ferry.api.model.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code api-resources}: the kinds the API serves, as kubectl lists them: plural name, short
 * names (which every command takes in place of the kind), API version, namespaced (never: Ferry
 * has no namespaces), kind and verbs.
 */
@Command(name = "api-resources", description = "List the kinds of object the API serves.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl api-resources",
        "  ferryctl get sa        # a short name, as listed"})
final class ApiResourcesCommand extends Verb {

  /** Each kind's short names, as kubectl's {@code sts} for statefulsets. */
  static final Map<Kind<?, ?, ?>, List<String>> SHORT_NAMES = Map.of(
      Kind.STATEFUL_APP, List.of("sa"),
      Kind.NODE, List.of("no"),
      Kind.DATASET, List.of("ds"),
      Kind.MIGRATION, List.of("mig"),
      Kind.EVENT, List.of("ev"),
      Kind.GIT_SOURCE, List.of("gs"));

  /**
   * What the API lets a token do with every kind (PUT creates or updates); the role decides
   * whether it may: Nodes and Events are written by admins (Ferry's own processes) only.
   */
  static final String VERBS = "create,delete,get,list,update,watch";

  /** The kind a short name stands for. */
  static Optional<Kind<?, ?, ?>> byShortName(String word) {
    return SHORT_NAMES.entrySet().stream().filter(e -> e.getValue().contains(word)).map(Map.Entry::getKey).findFirst();
  }

  @Override
  public Integer call() {
    String format = "%-14s %-12s %-10s %-11s %-12s %s%n";
    out().printf(format, "NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS");
    for (Kind<?, ?, ?> kind : Kind.ALL) {
      out().printf(format, kind.plural(), String.join(",", SHORT_NAMES.getOrDefault(kind, List.of())), "ferry/v1",
          "false", kind.name(), VERBS);
    }
    return ExitCodes.OK;
  }
}
