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
 * {@code get KIND [NAME] [-o FORMAT] [-l SEL] [--sort-by FIELD] [--chunk-size N] [-w]}: prints objects (by name;
 * events oldest first; or by {@code --sort-by}); with {@code -w}, then every change from the
 * list's resourceVersion on, until interrupted, across lost connections ({@link Watching}: after
 * a 410 it lists again and prints those rows). A list is read in pages of {@code --chunk-size}, every
 * page followed, so a list larger than the server's page size prints whole.
 */
@Command(name = "get", description = "Show objects of a kind, or one object.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl get statefulapps",
        "  ferryctl get statefulapp todos-db -o yaml",
        "  ferryctl get migrations -l app=todomvc --sort-by=.metadata.creationTimestamp",
        "  ferryctl get statefulapps --sort-by=.status.phase -o wide",
        "  ferryctl get migrations -w",
        "  ferryctl get statefulapp todos-db -o jsonpath='{.status.node}'",
        "  ferryctl get migrations -o custom-columns=NAME:.metadata.name,PHASE:.status.phase"})
final class GetCommand extends Verb {

  @Parameters(index = "0", paramLabel = "KIND", description = "statefulapps, nodes, datasets, migrations, events, gitsources")
  String kindWord;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "one object's name")
  Optional<String> name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "", description = "yaml, json, wide, name, jsonpath=TEMPLATE or custom-columns=HEADER:FIELD,...")
  String output;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", defaultValue = "", description = "label selector, e.g. app=todomvc,tier!=web")
  String selector;

  @Option(names = "--sort-by", paramLabel = "FIELD", description = "sort the list by a field, e.g. .metadata.name, .status.phase")
  Optional<String> sortBy;

  @Option(names = {"-w", "--watch"}, description = "after printing, keep printing changes")
  boolean watch;

  @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "" + FerryClient.DEFAULT_CHUNK_SIZE,
      description = "read a list in pages of N objects (0: the server's page size); every page is read, at one revision")
  int chunkSize;

  @Override
  public Integer call() {
    Kind<?, ?, ?> kind = kind(kindWord);
    if (chunkSize < 0) {
      throw new CliException("--chunk-size must be 0 or more, not " + chunkSize);
    }
    Optional<SortKey> sortKey = sortBy.map(SortKey::parse);
    Output printer = new Output(output, kind, out());
    FerryClient client = client();
    Listed listed = read(client, kind, sortKey);
    printer.print(listed.objects(), name.isPresent());
    if (!watch) {
      return ExitCodes.OK;
    }
    String query = "kind=" + kind.plural()
        + name.map(n -> "&name=" + FerryClient.encode(n)).orElse("")
        + (selector.isEmpty() ? "" : "&labelSelector=" + FerryClient.encode(selector));
    return Watching.follow(client, err(), query, listed.revision(), printer::printEvent, () -> {
      // The history the watch needed is gone: what is there now, as rows under the same header.
      Listed again = read(client, kind, sortKey);
      again.objects().forEach(o -> printer.printEvent("ADDED", o));
      return again.revision();
    });
  }

  /** The objects to print and the resourceVersion to watch from. */
  private record Listed(List<JsonNode> objects, long revision) {}

  private Listed read(FerryClient client, Kind<?, ?, ?> kind, Optional<SortKey> sortKey) {
    List<JsonNode> objects = new ArrayList<>();
    if (name.isPresent()) {
      JsonNode object = client.get(kind, name.get()).orElseThrow(() -> notFound(kind, name.get()));
      objects.add(object);
      return new Listed(objects, object.at("/metadata/resourceVersion").asLong());
    }
    JsonNode list = client.list(kind, selector, chunkSize);
    list.path("items").forEach(objects::add);
    // Events read best in time order, as `ferryctl events` prints them.
    sortKey.map(SortKey::order).or(() -> kind == Kind.EVENT ? Optional.of(EventsCommand.OLDEST_FIRST) : Optional.empty())
        .ifPresent(objects::sort);
    return new Listed(objects, list.at("/metadata/resourceVersion").asLong());
  }
}
