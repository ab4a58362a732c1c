package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code diff -f FILE|DIR|- [-R]}: what {@code apply} would change, as a unified diff of the
 * live object and the server's dry-run result, both as YAML, in hunks with three lines of
 * context as {@code diff -u} prints them. Exit 0: no differences; 1: some; 2: an error (as
 * {@code diff} and {@code kubectl diff}).
 */
@Command(name = "diff", description = "Show what apply would change (exit 0 none, 1 some, 2 error).",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl diff -f manifests/todomvc/db.yaml",
        "  ferryctl diff -R -f manifests/ && echo unchanged",
        "  cat db.yaml | ferryctl diff -f -"})
final class DiffCommand extends Verb {

  /** Lines of context around each change, as {@code diff -u}'s default. */
  static final int CONTEXT = 3;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "file, folder or - (stdin)")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "process folders recursively")
  boolean recursive;

  @Override
  public Integer call() {
    List<FerryObject<?, ?, ?>> objects = ManifestFiles.read(files, recursive, "diff", root.env);
    FerryClient client = client();
    boolean different = false;
    for (FerryObject<?, ?, ?> object : objects) {
      Kind<?, ?, ?> kind = kind(object.kind());
      Optional<JsonNode> live = client.get(kind, object.name());
      JsonNode merged = client.apply(kind, object.name(), Manifests.toJson(object), true).body();
      String ref = ref(kind.name(), object.name());
      String diff = unified("live/" + ref, live.map(Output::yaml).orElse(""), "merged/" + ref, Output.yaml(merged));
      out().print(diff);
      different |= !diff.isEmpty();
    }
    return different ? ExitCodes.DIFFERENT : ExitCodes.OK;
  }

  /** The unified diff of two texts, or empty when they are equal. */
  static String unified(String fromName, String from, String toName, String to) {
    List<String> a = from.lines().toList();
    List<String> b = to.lines().toList();
    Patch<String> patch = DiffUtils.diff(a, b);
    if (patch.getDeltas().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, patch, CONTEXT).forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }

  /** Any failure, a usage error included, exits 2: 1 means "different". */
  @Override
  int errorExitCode() {
    return ExitCodes.DIFF_ERROR;
  }
}
