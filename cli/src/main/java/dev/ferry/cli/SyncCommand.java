package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sync gitsource NAME}: syncs a GitSource now and writes, whatever its interval (the
 * API's {@code POST /apis/ferry/v1/gitsources/NAME/sync}, which needs the edit role). Prints the
 * commit it applied; exits 1 when the sync left the source OutOfSync, with its lastError.
 */
@Command(name = "sync", description = "Sync a GitSource now (fetch, apply, prune as its spec says).",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl sync gitsource demo",
        "  ferryctl get gitsource demo -o yaml"})
final class SyncCommand extends Verb {

  @Parameters(index = "0", paramLabel = "KIND", description = "gitsource (the only kind that syncs)")
  String kindWord;

  @Parameters(index = "1", paramLabel = "NAME", description = "the GitSource")
  String name;

  @Override
  public Integer call() {
    if (kind(kindWord) != Kind.GIT_SOURCE) {
      throw new CliException("error: only gitsources sync; \"" + kindWord + "\" is not a gitsource");
    }
    JsonNode source = client().syncGitSource(name);
    JsonNode status = source.path("status");
    String revision = status.path("revision").asText("");
    String error = status.path("lastError").asText("");
    if (!error.isEmpty()) {
      throw new CliException("error: gitsource/" + name + " is " + status.path("sync").asText("OutOfSync")
          + " after the sync" + (revision.isEmpty() ? "" : " (last applied " + revision + ")") + ":\n" + error);
    }
    List<String> drifted = new ArrayList<>();
    status.path("drifted").forEach(object -> drifted.add(object.asText()));
    out().println("gitsource/" + name + " synced: " + revision + " (" + status.path("sync").asText() + ")"
        + (drifted.isEmpty() ? "" : "; drifted: " + String.join(", ", drifted)));
    return ExitCodes.OK;
  }
}
