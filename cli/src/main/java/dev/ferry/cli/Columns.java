package dev.ferry.cli;

import static dev.ferry.cli.Column.at;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The columns {@code get} shows for each kind, kubectl-style: name first, age last. */
final class Columns {

  private Columns() {}

  static List<Column> of(Kind<?, ?, ?> kind) {
    List<Column> columns = new ArrayList<>();
    if (kind != Kind.EVENT) {
      columns.add(Column.of("NAME", at("/metadata/name")));
    }
    switch (kind.name()) {
      case "StatefulApp" -> {
        columns.add(Column.of("NODE", at("/status/node")));
        columns.add(Column.of("PHASE", at("/status/phase")));
        columns.add(Column.of("READY", Columns::ready));
        columns.add(Column.wide("DATASET", at("/spec/dataset/name")));
        columns.add(Column.wide("SIZE", at("/spec/dataset/size")));
        columns.add(Column.wide("PLACEMENT", o -> constraints(o.at("/spec/placement/constraints"))));
        columns.add(Column.wide("GENERATION", o -> o.at("/metadata/generation").asText("0") + "/"
            + o.at("/status/observedGeneration").asText("0")));
      }
      case "Node" -> {
        columns.add(Column.of("ADDRESS", at("/spec/address")));
        columns.add(Column.of("ATTRIBUTES", o -> attributes(o.at("/spec/attributes"))));
        columns.add(Column.wide("POOL", at("/spec/pool")));
      }
      case "Dataset" -> {
        columns.add(Column.of("PRIMARY", at("/spec/primary")));
        columns.add(Column.of("SIZE", at("/spec/size")));
        columns.add(Column.wide("MIGRATION", at("/spec/migration")));
      }
      case "Migration" -> {
        columns.add(Column.of("APP", at("/spec/statefulApp")));
        columns.add(Column.of("FROM", at("/spec/from")));
        columns.add(Column.of("TO", at("/spec/to")));
        columns.add(Column.of("PHASE", at("/status/phase")));
        // The round under way counts as it goes: a first full copy shows its bytes and rate, not 0 B until it ends.
        columns.add(Column.of("TRANSFERRED", o -> Progress.bytes(Progress.of(o, 0, Instant.now()).bytes())));
        columns.add(Column.of("RATE", Columns::rate));
        columns.add(Column.wide("DOWNTIME", at("/status/downtime")));
      }
      case "Event" -> {
        columns.add(Column.of("LAST SEEN", o -> age(o.at("/spec/lastTimestamp"))));
        columns.add(Column.of("TYPE", at("/spec/type")));
        columns.add(Column.of("REASON", at("/spec/reason")));
        columns.add(Column.of("OBJECT", o -> Verb.ref(o.at("/spec/involvedObject/kind").asText(),
            o.at("/spec/involvedObject/name").asText())));
        columns.add(Column.of("MESSAGE", at("/spec/message")));
        return columns;
      }
      case "GitSource" -> {
        columns.add(Column.of("URL", at("/spec/url")));
        columns.add(Column.of("REVISION", at("/status/revision")));
        columns.add(Column.of("SYNC", at("/status/sync")));
        // Whether what it applied is Ready, as the GitSource's own Ready condition says.
        columns.add(Column.of("READY", Columns::ready));
        columns.add(Column.wide("PATH", at("/spec/path")));
        columns.add(Column.wide("SUSPENDED", o -> o.at("/spec/suspend").asText("false")));
        columns.add(Column.wide("ERROR", at("/status/lastError")));
      }
      default -> { }
    }
    columns.add(Column.of("AGE", o -> age(o.at("/metadata/creationTimestamp"))));
    return columns;
  }

  /** The rate of the round under way, blank when none runs. */
  static String rate(JsonNode migration) {
    JsonNode transfer = migration.at("/status/transfer");
    long rate = transfer.path("bytesPerSecond").asLong();
    return transfer.path("state").asText().equals("Running") && rate > 0 ? Progress.bytes(rate) + "/s" : "";
  }

  private static String ready(JsonNode object) {
    for (JsonNode condition : object.at("/status/conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        return condition.path("status").asText();
      }
    }
    return "Unknown";
  }

  private static String constraints(JsonNode constraints) {
    List<String> each = new ArrayList<>();
    constraints.forEach(c -> {
      List<String> parts = new ArrayList<>();
      c.forEach(p -> parts.add(p.asText()));
      each.add(String.join(":", parts));
    });
    return each.isEmpty() ? "<none>" : String.join(",", each);
  }

  private static String attributes(JsonNode attributes) {
    List<String> pairs = new ArrayList<>();
    attributes.properties().forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return pairs.isEmpty() ? "<none>" : pairs.stream().sorted().collect(Collectors.joining(","));
  }

  /** kubectl's short age: 45s, 12m, 3h, 5d. */
  static String age(JsonNode timestamp) {
    try {
      Duration age = Duration.between(Instant.parse(timestamp.asText()), Instant.now());
      long s = Math.max(0, age.toSeconds());
      return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172_800 ? s / 3600 + "h" : s / 86_400 + "d";
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }
}
