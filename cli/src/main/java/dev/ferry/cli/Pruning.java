package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.io.PrintWriter;
import java.util.Set;

/** apply's {@code --prune}: what matches the selector, was not applied, and no GitSource owns, goes. */
final class Pruning {

  /** The label GitOps puts on what it applies: such objects belong to their GitSource. */
  static final String GITSOURCE_LABEL = "ferry.dev/gitsource";

  private Pruning() {}

  static void prune(FerryClient client, String selector, Set<String> applied, boolean dryRun, PrintWriter out, String suffix) {
    for (Kind<?, ?, ?> kind : Kind.ALL) {
      if (!kind.userWritable()) {
        continue;
      }
      for (JsonNode item : client.list(kind, selector).path("items")) {
        String name = item.at("/metadata/name").asText();
        if (applied.contains(kind.name() + "/" + name) || item.at("/metadata/labels").has(GITSOURCE_LABEL)) {
          continue;
        }
        client.delete(kind, name, dryRun);
        out.println(Verb.ref(kind.name(), name) + " pruned" + suffix);
      }
    }
  }
}
