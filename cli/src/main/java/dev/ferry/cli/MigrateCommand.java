package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import dev.ferry.api.placement.Constraint;
import dev.ferry.api.placement.ConstraintMatcher;
import dev.ferry.api.placement.NodeOffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate NAME --to NODE [--strategy PreCopy|StopAndCopy]}: asks for one move of a
 * StatefulApp's dataset by creating a Migration from the node it runs on now. What can be
 * checked here is checked before anything is created (the app has a dataset and a node, the
 * target node exists and satisfies the app's placement), so a refused move changes nothing.
 * After creating, it waits up to {@link #SETTLE} for the Migration to leave Pending: one the
 * controller fails at once exits 1 with its reason. With {@code --wait} it then follows the move
 * to its end ({@link #follow}) and exits 0 when it succeeded, 1 with the reason when it failed or
 * rolled back; without, follow it with {@code describe statefulapp NAME} or
 * {@code get migrations -w}.
 */
@Command(name = "migrate", description = "Move a StatefulApp and its data to another node.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl migrate todos-db --to node2",
        "  ferryctl migrate todos-db --to node2 --wait",
        "  ferryctl migrate todos-db --to node2 --strategy StopAndCopy",
        "  ferryctl get migrations -w"})
final class MigrateCommand extends Verb {

  /** How long to wait for the controller to take the Migration up: it fails a hopeless one within milliseconds. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  @Parameters(index = "0", paramLabel = "NAME", description = "the StatefulApp")
  String name;

  @Option(names = "--to", required = true, paramLabel = "NODE", description = "the node to move to")
  String to;

  @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "PreCopy", description = "PreCopy (default) or StopAndCopy")
  String strategy;

  @Option(names = "--wait", description = "follow the move until it ends: exit 0 when it succeeded, 1 when it failed or rolled back")
  boolean await;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "with --wait: give up after this long (default: no limit)")
  Optional<String> timeout;

  private static final Set<String> FINISHED = Set.of("Succeeded", "RolledBack", "Failed");

  @Override
  public Integer call() throws InterruptedException {
    FerryClient client = client();
    JsonNode app = client.get(Kind.STATEFUL_APP, name).orElseThrow(() -> notFound(Kind.STATEFUL_APP, name));
    String from = app.at("/status/node").asText("");
    String dataset = app.at("/spec/dataset/name").asText("");
    if (dataset.isEmpty()) {
      throw refused("it has no dataset: spec.dataset is not set, so there is no data to move");
    }
    if (from.isEmpty()) {
      throw new CliException("error: statefulapp/" + name + " is not placed on a node yet: nothing to move");
    }
    if (from.equals(to)) {
      throw new CliException("error: statefulapp/" + name + " already runs on " + to);
    }
    JsonNode node = client.get(Kind.NODE, to).orElseThrow(() -> refused("node \"" + to + "\" does not exist"
        + " (nodes: " + String.join(", ", names(client.list(Kind.NODE, ""))) + ")"));
    checkPlacement(app, node);

    String migration = migrationName();
    ObjectNode manifest = Json.json().createObjectNode().put("apiVersion", "ferry/v1").put("kind", "Migration");
    manifest.putObject("metadata").put("name", migration);
    manifest.putObject("spec").put("statefulApp", name).put("from", from).put("to", to).put("strategy", strategy)
        .put("dataset", dataset);
    var answer = client.apply(Kind.MIGRATION, migration, manifest.toString(), false);
    JsonNode settled = settle(client, migration);
    if (settled.at("/status/phase").asText().equals("Failed")) {
      throw new CliException("error: migration/" + migration + " failed: " + settled.at("/status/message").asText());
    }
    out().println("migration/" + migration + " " + answer.outcome() + ": " + name + " moves from " + from + " to " + to);
    out().flush();
    return await ? follow(client, settled) : ExitCodes.OK;
  }

  /**
   * Follows the Migration to its end: on a terminal one progress line rewritten in place,
   * otherwise a plain line each time the phase or the percentage changes.
   */
  private int follow(FerryClient client, JsonNode migration) throws InterruptedException {
    String ref = "migration/" + migration.at("/metadata/name").asText();
    long total = DescribeCommand.toCopy(client, migration);
    boolean terminal = root.env.terminal();
    Duration limit = timeout.map(Verb::timeout).orElse(Duration.ofDays(3650));
    AtomicReference<JsonNode> last = new AtomicReference<>(migration);
    AtomicReference<String> shown = new AtomicReference<>("");
    boolean ended = Watching.until(client, err(), Kind.MIGRATION, migration.at("/metadata/name").asText(),
        Instant.now().plus(limit), state -> {
          JsonNode now = state.orElseThrow(() -> new CliException("error: " + ref + " was deleted before it ended"));
          last.set(now);
          Progress progress = Progress.of(now, total, Instant.now());
          if (terminal) {
            out().print("\r" + progress.render(true) + "\033[K");
          } else if (!progress.milestone().equals(shown.get())) {
            out().println(progress.render(false));
          }
          shown.set(progress.milestone());
          out().flush();
          return FINISHED.contains(now.at("/status/phase").asText());
        });
    if (terminal) {
      out().println();
    }
    JsonNode end = last.get();
    String phase = end.at("/status/phase").asText("Pending");
    if (!ended) {
      throw new CliException("error: timed out after " + timeout.orElse("") + " following " + ref + ": it is in phase " + phase);
    }
    if (!phase.equals("Succeeded")) {
      throw new CliException("error: " + ref + " " + (phase.equals("RolledBack") ? "rolled back" : "failed") + ": "
          + end.at("/status/message").asText("no reason given") + " (" + name + " stays on " + from(end) + ")");
    }
    out().println(ref + " succeeded: " + name + " runs on " + to
        + (end.at("/status/downtime").isMissingNode() ? "" : ", downtime " + end.at("/status/downtime").asText()));
    return ExitCodes.OK;
  }

  private static String from(JsonNode migration) {
    return migration.at("/spec/from").asText();
  }

  /** Refuses a node the app's placement constraints rule out, with the node's attributes. */
  private void checkPlacement(JsonNode app, JsonNode node) {
    List<Constraint> constraints = new ArrayList<>();
    for (JsonNode wire : app.at("/spec/placement/constraints")) {
      List<String> parts = new ArrayList<>();
      wire.forEach(p -> parts.add(p.asText()));
      constraints.add(Constraint.parse(parts));
    }
    Map<String, String> attributes = new HashMap<>();
    node.at("/spec/attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
    String hostname = node.at("/spec/hostname").asText("");
    // As the controller's placement: Marathon's hostname is the node's name unless the agent reported one.
    NodeOffer offer = NodeOffer.of(hostname.isEmpty() ? to : hostname, attributes);
    if (!ConstraintMatcher.matchesAll(constraints, offer, List.of())) {
      throw refused("node " + to + " (hostname " + offer.hostname() + ", attributes " + new TreeMap<>(attributes)
          + ") does not satisfy spec.placement.constraints " + app.at("/spec/placement/constraints"));
    }
  }

  /** The Migration once it left Pending, or as it is after {@link #SETTLE}. */
  private static JsonNode settle(FerryClient client, String migration) throws InterruptedException {
    Instant deadline = Instant.now().plus(SETTLE);
    while (true) {
      JsonNode now = client.get(Kind.MIGRATION, migration).orElseThrow(() -> notFound(Kind.MIGRATION, migration));
      String phase = now.at("/status/phase").asText("Pending");
      if (!phase.equals("Pending") || Instant.now().isAfter(deadline)) {
        return now;
      }
      Thread.sleep(100);
    }
  }

  private CliException refused(String why) {
    return new CliException("error: cannot migrate statefulapp/" + name + " to " + to + ": " + why);
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.path("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
    return names;
  }

  /**
   * {@code <app>-<seconds in base 36><two random base-36 digits>}, cut to fit a DNS label: a
   * second migrate in the same second (after one that failed at once) must not overwrite the first.
   */
  private String migrationName() {
    String stamp = (Long.toString(Instant.now().getEpochSecond(), 36)
        + Integer.toString(36 + ThreadLocalRandom.current().nextInt(36 * 35), 36).substring(0, 2)).toLowerCase(Locale.ROOT);
    String base = name.length() + 1 + stamp.length() > 63 ? name.substring(0, 62 - stamp.length()) : name;
    return base.replaceAll("-+$", "") + "-" + stamp;
  }
}
