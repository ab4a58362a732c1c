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
 * {@code get KIND [NAME] [-o yaml|json|wide|name] [-l SEL] [-w]}: prints objects; with
 * {@code -w}, then every change from the list's resourceVersion on, until interrupted.
 */
@Command(name = "get", description = "Show objects of a kind, or one object.")
final class GetCommand extends Verb {

  @Parameters(index = "0", description = "statefulapps, nodes, datasets, migrations, events, gitsources")
  String kindWord;

  @Parameters(index = "1", arity = "0..1", description = "one object's name")
  Optional<String> name;

  @Option(names = {"-o", "--output"}, defaultValue = "", description = "yaml, json, wide or name")
  String output;

  @Option(names = {"-l", "--selector"}, defaultValue = "", description = "label selector, e.g. app=todomvc,tier!=web")
  String selector;

  @Option(names = {"-w", "--watch"}, description = "after printing, keep printing changes")
  boolean watch;

  @Override
  public Integer call() {
    Kind<?, ?, ?> kind = kind(kindWord);
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
