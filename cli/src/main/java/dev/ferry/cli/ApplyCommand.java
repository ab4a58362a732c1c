package dev.ferry.cli;

import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code apply -f FILE|DIR|- [-R] [--dry-run=client|server] [--prune -l SEL]}: creates or
 * updates each object, printing {@code <kind>/<name> created|configured|unchanged}, then with
 * {@code --prune} deletes the objects that match the selector and were not in the files
 * ({@code pruned}). Objects a GitSource owns are never pruned. Keeps going after a refused
 * object and exits 1 at the end if any was refused.
 */
@Command(name = "apply", description = "Create or update objects from manifest files.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl apply -f manifests/todomvc/db.yaml",
        "  ferryctl apply -R -f manifests/",
        "  cat db.yaml | ferryctl apply -f -",
        "  ferryctl apply --dry-run=server -f db.yaml",
        "  ferryctl apply --prune -l app=todomvc -f manifests/todomvc/"})
final class ApplyCommand extends Verb {

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "file, folder or - (stdin)")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "process folders recursively")
  boolean recursive;

  @Option(names = "--dry-run", paramLabel = "MODE", arity = "0..1", fallbackValue = "client", defaultValue = "none",
      description = "none, client (validate here) or server (validate and decide there, write nothing)")
  DryRun dryRun;

  @Option(names = "--prune", description = "delete objects matching -l that are not in the files")
  boolean prune;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", defaultValue = "", description = "label selector for --prune")
  String selector;

  @Override
  public Integer call() {
    if (prune && selector.isBlank()) {
      throw new CliException("error: --prune needs -l/--selector: it deletes every object that matches and is not in the files");
    }
    List<FerryObject<?, ?, ?>> objects = ManifestFiles.read(files, recursive, "apply", root.env);
    String suffix = switch (dryRun) {
      case NONE -> "";
      case CLIENT -> " (dry run)";
      case SERVER -> " (server dry run)";
    };
    if (dryRun == DryRun.CLIENT) {
      // Reading the files validated every object as the server would; nothing is sent.
      objects.forEach(o -> out().println(ref(o.kind(), o.name()) + " valid" + suffix));
      return ExitCodes.OK;
    }
    FerryClient client = client();
    boolean failed = false;
    Set<String> applied = new HashSet<>();
    for (FerryObject<?, ?, ?> object : objects) {
      Kind<?, ?, ?> kind = kind(object.kind());
      applied.add(kind.name() + "/" + object.name());
      try {
        var answer = client.apply(kind, object.name(), Manifests.toJson(object), dryRun == DryRun.SERVER);
        out().println(ref(kind.name(), object.name()) + " " + answer.outcome() + suffix);
      } catch (ApiException e) {
        err().println(e.getMessage());
        failed = true;
      }
    }
    if (prune && !failed) {
      Pruning.prune(client, selector, applied, dryRun == DryRun.SERVER, out(), suffix);
    }
    return failed ? ExitCodes.ERROR : ExitCodes.OK;
  }
}
