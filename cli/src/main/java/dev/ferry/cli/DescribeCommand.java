package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code describe KIND NAME}: the object for people: metadata, spec, status, its conditions,
 * its current (or last) migration with progress, and the events about it.
 */
@Command(name = "describe", description = "Show an object with its conditions, migration and events.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl describe statefulapp todos-db",
        "  ferryctl describe migration todos-db-sl2k9a",
        "  ferryctl describe node node1"})
final class DescribeCommand extends Verb {

  @Parameters(index = "0", paramLabel = "KIND", description = "statefulapp, node, dataset, migration, event, gitsource")
  String kindWord;

  @Parameters(index = "1", paramLabel = "NAME", description = "the object's name")
  String name;

  @Override
  public Integer call() {
    Kind<?, ?, ?> kind = kind(kindWord);
    FerryClient client = client();
    JsonNode object = client.get(kind, name).orElseThrow(() -> notFound(kind, name));
    JsonNode meta = object.path("metadata");
    line("Name:", name);
    line("Kind:", kind.name());
    line("Labels:", pairs(meta.path("labels")));
    line("Annotations:", pairs(meta.path("annotations")));
    line("Created:", meta.path("creationTimestamp").asText("<unknown>"));
    line("Generation:", meta.path("generation").asText("0") + " (observed " + object.at("/status/observedGeneration").asText("0") + ")");
    if (meta.has("deletionTimestamp")) {
      line("Deleting since:", meta.path("deletionTimestamp").asText() + ", waiting for " + meta.path("finalizers"));
    }
    section("Spec:", object.path("spec"));
    section("Status:", withoutConditions(object.path("status")));
    conditions(object.at("/status/conditions"));
    migration(client, kind, object);
    events(client, kind);
    return ExitCodes.OK;
  }

  private void conditions(JsonNode conditions) {
    out().println("Conditions:");
    if (conditions.isEmpty()) {
      out().println("  <none>");
      return;
    }
    out().printf("  %-14s %-8s %-22s %s%n", "TYPE", "STATUS", "REASON", "MESSAGE");
    conditions.forEach(c -> out().printf("  %-14s %-8s %-22s %s%n", c.path("type").asText(), c.path("status").asText(),
        c.path("reason").asText(), c.path("message").asText()));
  }

  private void migration(FerryClient client, Kind<?, ?, ?> kind, JsonNode object) {
    Optional<JsonNode> migration;
    long total;
    if (kind == Kind.STATEFUL_APP) {
      List<JsonNode> mine = new ArrayList<>();
      client.list(Kind.MIGRATION, "").path("items").forEach(m -> {
        if (m.at("/spec/statefulApp").asText().equals(name)) {
          mine.add(m);
        }
      });
      migration = mine.stream().max(Comparator.comparing(m -> m.at("/metadata/creationTimestamp").asText()));
    } else if (kind == Kind.MIGRATION) {
      migration = Optional.of(object);
    } else {
      return;
    }
    total = migration.map(m -> toCopy(client, m)).orElse(0L);
    out().println("Migration:");
    if (migration.isEmpty()) {
      out().println("  <none>");
      return;
    }
    JsonNode m = migration.get();
    out().println("  " + m.at("/metadata/name").asText() + ": " + m.at("/spec/from").asText() + " -> "
        + m.at("/spec/to").asText() + ", " + m.at("/status/rounds").size() + " rounds"
        + (m.at("/status/downtime").isMissingNode() ? "" : ", downtime " + m.at("/status/downtime").asText()));
    out().println("  " + Progress.of(m, total, Instant.now()).render(root.env.terminal()));
  }

  /** What the migration has to copy: the source copy's size as its agent reported it. */
  static long toCopy(FerryClient client, JsonNode migration) {
    return client.get(Kind.DATASET, migration.at("/spec/dataset").asText())
        .map(d -> d.at("/status/copies").path(migration.at("/spec/from").asText()).path("usedBytes").asLong())
        .orElse(0L);
  }

  private void events(FerryClient client, Kind<?, ?, ?> kind) {
    out().println("Events:");
    List<JsonNode> mine = new ArrayList<>();
    client.list(Kind.EVENT, EventsCommand.selectorFor(kind.name(), name)).path("items").forEach(mine::add);
    if (mine.isEmpty()) {
      out().println("  <none>");
      return;
    }
    mine.sort(EventsCommand.OLDEST_FIRST);
    out().printf("  %-10s %-8s %-22s %s%n", "LAST SEEN", "TYPE", "REASON", "MESSAGE");
    mine.forEach(e -> out().printf("  %-10s %-8s %-22s %s%n", Columns.age(e.at("/spec/lastTimestamp")),
        e.at("/spec/type").asText(), e.at("/spec/reason").asText(), e.at("/spec/message").asText()));
  }

  private void line(String label, String value) {
    out().printf("%-16s %s%n", label, value);
  }

  private void section(String label, JsonNode node) {
    out().println(label);
    String yaml = node.isMissingNode() || node.isEmpty() ? "<none>\n" : Output.yaml(node);
    yaml.lines().forEach(l -> out().println("  " + l));
  }

  private static JsonNode withoutConditions(JsonNode status) {
    return status.isObject() ? ((com.fasterxml.jackson.databind.node.ObjectNode) status.deepCopy()).without("conditions") : status;
  }

  private static String pairs(JsonNode map) {
    List<String> pairs = new ArrayList<>();
    map.properties().forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
  }
}
