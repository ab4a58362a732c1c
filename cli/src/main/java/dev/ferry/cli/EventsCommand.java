package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events [--for KIND/NAME] [-w]}: events, oldest first; with {@code -w}, then new ones as they come. */
@Command(name = "events", description = "Show events, oldest first.")
final class EventsCommand extends Verb {

  @Option(names = "--for", description = "only events about this object, e.g. statefulapp/todos-db")
  Optional<String> about;

  @Option(names = {"-w", "--watch"}, description = "keep printing new events")
  boolean watch;

  @Option(names = {"-o", "--output"}, defaultValue = "", description = "yaml, json, wide or name")
  String output;

  @Override
  public Integer call() {
    FerryClient client = client();
    Output printer = new Output(output, Kind.EVENT, out());
    JsonNode list = client.list(Kind.EVENT, "");
    List<JsonNode> events = new ArrayList<>();
    list.path("items").forEach(e -> {
      if (concerns(e)) {
        events.add(e);
      }
    });
    events.sort(Comparator.comparing(e -> e.at("/spec/lastTimestamp").asText()));
    printer.print(events, false);
    if (!watch) {
      return ExitCodes.OK;
    }
    return Watching.follow(client, "kind=events&resourceVersion=" + list.at("/metadata/resourceVersion").asLong(),
        (type, event) -> {
          if (!type.equals("DELETED") && concerns(event)) {
            printer.printEvent(type, event);
          }
        });
  }

  private boolean concerns(JsonNode event) {
    return about.map(a -> a.equalsIgnoreCase(ref(event.at("/spec/involvedObject/kind").asText(),
        event.at("/spec/involvedObject/name").asText()))).orElse(true);
  }
}
