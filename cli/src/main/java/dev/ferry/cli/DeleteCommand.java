package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code delete KIND NAME...}, {@code delete -f FILE|DIR|- [-R]} or {@code delete [KIND] -l SEL},
 * with {@code [--wait] [--timeout 60s] [--dry-run]}: deletes, or (for an object with finalizers,
 * such as a StatefulApp whose dataset is being released) marks it for deletion; {@code --wait}
 * returns once each is gone. As kubectl, an object that is not there is reported and the others
 * are still deleted, and the exit code is then 1. {@code -l} without a kind covers every kind
 * users write.
 */
@Command(name = "delete", description = "Delete objects by name, by manifest file or by label selector.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl delete statefulapp todos-db --wait",
        "  ferryctl delete -f manifests/todomvc/db.yaml",
        "  ferryctl delete -R -f manifests/",
        "  cat db.yaml | ferryctl delete -f -",
        "  ferryctl delete statefulapps -l app=todomvc",
        "  ferryctl delete -l app=todomvc --dry-run=server"})
final class DeleteCommand extends Verb {

  @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "statefulapps, datasets, migrations, gitsources")
  Optional<String> kindWord;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "the objects' names")
  List<String> names = List.of();

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "delete the objects in a file, folder or - (stdin)")
  List<String> files = List.of();

  @Option(names = {"-R", "--recursive"}, description = "process folders recursively")
  boolean recursive;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", defaultValue = "", description = "delete the objects matching a label selector, e.g. app=todomvc")
  String selector;

  @Option(names = "--wait", description = "wait until the object is gone (its finalizers done)")
  boolean await;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", description = "how long --wait waits, e.g. 30s, 5m")
  String timeout;

  @Option(names = "--dry-run", paramLabel = "MODE", arity = "0..1", fallbackValue = "server", defaultValue = "none", description = "none or server")
  DryRun dryRun;

  /** One object to delete. */
  private record Ref(Kind<?, ?, ?> kind, String name) {}

  @Override
  public Integer call() throws InterruptedException {
    Duration wait = timeout(timeout);
    FerryClient client = client();
    List<Ref> targets = targets(client);
    if (targets.isEmpty()) {
      out().println("No resources found");
      return ExitCodes.OK;
    }
    boolean failed = false;
    String suffix = dryRun == DryRun.NONE ? "" : " (server dry run)";
    for (Ref target : targets) {
      try {
        var answer = client.delete(target.kind(), target.name(), dryRun != DryRun.NONE);
        String ref = ref(target.kind().name(), target.name());
        out().println(answer.outcome().equals("deleting")
            ? ref + " marked for deletion, waiting for " + answer.body().at("/metadata/finalizers") + suffix
            : ref + " deleted" + suffix);
      } catch (ApiException e) {
        err().println(e.status() == 404 ? notFound(target.kind(), target.name()).getMessage() : e.getMessage());
        failed = true;
      }
    }
    out().flush();
    if (await && dryRun == DryRun.NONE) {
      Instant deadline = Instant.now().plus(wait);
      for (Ref target : targets) {
        while (client.get(target.kind(), target.name()).isPresent()) {
          if (Instant.now().isAfter(deadline)) {
            throw new CliException("error: timed out after " + timeout + " waiting for "
                + ref(target.kind().name(), target.name()) + " to be gone");
          }
          Thread.sleep(500);
        }
      }
    }
    return failed ? ExitCodes.ERROR : ExitCodes.OK;
  }

  /** What the arguments name; a mix of ways, or none, is a usage error. */
  private List<Ref> targets(FerryClient client) {
    int ways = (files.isEmpty() ? 0 : 1) + (selector.isEmpty() ? 0 : 1) + (names.isEmpty() ? 0 : 1);
    if (ways > 1 || (!files.isEmpty() && kindWord.isPresent())) {
      throw new CliException("error: give either KIND NAME..., -f FILE or [KIND] -l SELECTOR, not several");
    }
    List<Ref> targets = new ArrayList<>();
    if (!files.isEmpty()) {
      for (FerryObject<?, ?, ?> object : ManifestFiles.read(files, recursive, "delete", root.env)) {
        targets.add(new Ref(kind(object.kind()), object.name()));
      }
    } else if (!selector.isEmpty()) {
      List<Kind<?, ?, ?>> kinds = kindWord.<List<Kind<?, ?, ?>>>map(w -> List.of(kind(w)))
          .orElseGet(() -> Kind.ALL.stream().filter(Kind::userWritable).toList());
      for (Kind<?, ?, ?> kind : kinds) {
        for (JsonNode item : client.list(kind, selector).path("items")) {
          targets.add(new Ref(kind, item.at("/metadata/name").asText()));
        }
      }
    } else if (kindWord.isPresent() && !names.isEmpty()) {
      Kind<?, ?, ?> kind = kind(kindWord.get());
      names.forEach(n -> targets.add(new Ref(kind, n)));
    } else {
      throw new CliException("error: say what to delete: KIND NAME..., -f FILE or [KIND] -l SELECTOR"
          + " (see ferryctl delete --help)");
    }
    return targets;
  }

}
