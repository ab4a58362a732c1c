package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import dev.ferry.api.validation.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events [--for KIND/NAME] [-w]}: events, oldest first; with {@code -w}, then new ones as they come. */
@Command(name = "events", description = "Show events, oldest first.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl events",
        "  ferryctl events --for statefulapp/todos-db",
        "  ferryctl events -w -o yaml"})
final class EventsCommand extends Verb {

  /** Events in the order they last happened. */
  static final Comparator<JsonNode> OLDEST_FIRST = Comparator.comparing(e -> e.at("/spec/lastTimestamp").asText());

  @Option(names = "--for", paramLabel = "KIND/NAME", description = "only events about this object, e.g. statefulapp/todos-db")
  Optional<String> about;

  @Option(names = {"-w", "--watch"}, description = "keep printing new events")
  boolean watch;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "", description = "yaml, json, wide, name, jsonpath=TEMPLATE or custom-columns=HEADER:FIELD,...")
  String output;

  @Override
  public Integer call() {
    String selector = about.map(EventsCommand::selectorFor).orElse("");
    FerryClient client = client();
    Output printer = new Output(output, Kind.EVENT, out());
    JsonNode list = client.list(Kind.EVENT, selector);
    printer.print(oldestFirst(list), false);
    if (!watch) {
      return ExitCodes.OK;
    }
    String query = "kind=events" + (selector.isEmpty() ? "" : "&labelSelector=" + FerryClient.encode(selector));
    return Watching.follow(client, err(), query, list.at("/metadata/resourceVersion").asLong(), (type, event) -> {
      if (!type.equals("DELETED")) {
        printer.printEvent(type, event);
      }
    }, () -> {
      // The history the watch needed is gone: the events there are now, again, oldest first.
      JsonNode again = client.list(Kind.EVENT, selector);
      oldestFirst(again).forEach(e -> printer.printEvent("ADDED", e));
      return again.at("/metadata/resourceVersion").asLong();
    });
  }

  private static List<JsonNode> oldestFirst(JsonNode list) {
    List<JsonNode> events = new ArrayList<>();
    list.path("items").forEach(events::add);
    events.sort(OLDEST_FIRST);
    return events;
  }

  /**
   * The label selector for the events about one object: EventRecorder labels each Event
   * {@code ferry.dev/kind=<lower-case kind>} and {@code ferry.dev/name=<name>}.
   */
  static String selectorFor(String kindName, String name) {
    return "ferry.dev/kind=" + kindName.toLowerCase(Locale.ROOT) + ",ferry.dev/name=" + name;
  }

  /** {@code --for KIND/NAME}, either in any case (object names are lower-case). */
  private static String selectorFor(String about) {
    int slash = about.indexOf('/');
    String kind = slash < 0 ? "" : about.substring(0, slash).toLowerCase(Locale.ROOT);
    String name = slash < 0 ? "" : about.substring(slash + 1).toLowerCase(Locale.ROOT);
    if (kind.isEmpty() || name.isEmpty() || Names.checkLabelValue(kind).isPresent() || Names.checkLabelValue(name).isPresent()) {
      throw new CliException("error: --for wants KIND/NAME, e.g. statefulapp/todos-db, not '" + about + "'");
    }
    return selectorFor(kind, name);
  }
}
