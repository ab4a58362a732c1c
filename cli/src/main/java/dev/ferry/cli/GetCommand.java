package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code get KIND [NAME] [-o yaml|json|wide|name] [-l SEL] [--sort-by FIELD] [-w]}: prints
 * objects (by name; events oldest first; or by {@code --sort-by}); with {@code -w}, then every
 * change from the list's resourceVersion on, until interrupted.
 */
@Command(name = "get", description = "Show objects of a kind, or one object.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl get statefulapps",
        "  ferryctl get statefulapp todos-db -o yaml",
        "  ferryctl get migrations -l app=todomvc --sort-by=.metadata.creationTimestamp",
        "  ferryctl get statefulapps --sort-by=.status.phase -o wide",
        "  ferryctl get migrations -w"})
final class GetCommand extends Verb {

  @Parameters(index = "0", paramLabel = "KIND", description = "statefulapps, nodes, datasets, migrations, events, gitsources")
  String kindWord;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "one object's name")
  Optional<String> name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "", description = "yaml, json, wide or name")
  String output;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", defaultValue = "", description = "label selector, e.g. app=todomvc,tier!=web")
  String selector;

  @Option(names = "--sort-by", paramLabel = "FIELD", description = "sort the list by a field, e.g. .metadata.name, .status.phase")
  Optional<String> sortBy;

  @Option(names = {"-w", "--watch"}, description = "after printing, keep printing changes")
  boolean watch;

  @Override
  public Integer call() {
    Kind<?, ?, ?> kind = kind(kindWord);
    Optional<SortKey> sortKey = sortBy.map(SortKey::parse);
    Output printer = new Output(output, kind, out());
    FerryClient client = client();
    List<JsonNode> objects = new ArrayList<>();
    long revision;
    if (name.isPresent()) {
      JsonNode object = client.get(kind, name.get()).orElseThrow(() -> notFound(kind, name.get()));
      objects.add(object);
      revision = object.at("/metadata/resourceVersion").asLong();
    } else {
      JsonNode list = client.list(kind, selector);
      list.path("items").forEach(objects::add);
      // Events read best in time order, as `ferryctl events` prints them.
      sortKey.map(SortKey::order).or(() -> kind == Kind.EVENT ? Optional.of(EventsCommand.OLDEST_FIRST) : Optional.empty())
          .ifPresent(objects::sort);
      revision = list.at("/metadata/resourceVersion").asLong();
    }
    printer.print(objects, name.isPresent());
    if (!watch) {
      return ExitCodes.OK;
    }
    String query = "kind=" + kind.plural() + "&resourceVersion=" + revision
        + name.map(n -> "&name=" + FerryClient.encode(n)).orElse("")
        + (selector.isEmpty() ? "" : "&labelSelector=" + FerryClient.encode(selector));
    return Watching.follow(client, query, printer::printEvent);
  }
}
