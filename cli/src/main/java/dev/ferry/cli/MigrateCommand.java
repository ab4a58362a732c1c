package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.model.Kind;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate NAME --to NODE [--strategy PreCopy|StopAndCopy]}: asks for one move of a
 * StatefulApp's dataset by creating a Migration from the node it runs on now. Follow it with
 * {@code describe statefulapp NAME} or {@code get migrations -w}.
 */
@Command(name = "migrate", description = "Move a StatefulApp and its data to another node.")
final class MigrateCommand extends Verb {

  @Parameters(index = "0", description = "the StatefulApp")
  String name;

  @Option(names = "--to", required = true, description = "the node to move to")
  String to;

  @Option(names = "--strategy", defaultValue = "PreCopy", description = "PreCopy (default) or StopAndCopy")
  String strategy;

  @Override
  public Integer call() {
    FerryClient client = client();
    JsonNode app = client.get(Kind.STATEFUL_APP, name).orElseThrow(() -> notFound(Kind.STATEFUL_APP, name));
    String from = app.at("/status/node").asText("");
    if (from.isEmpty()) {
      throw new CliException("error: statefulapp/" + name + " is not placed on a node yet: nothing to move");
    }
    if (from.equals(to)) {
      throw new CliException("error: statefulapp/" + name + " already runs on " + to);
    }
    String migration = migrationName();
    ObjectNode manifest = Json.json().createObjectNode().put("apiVersion", "ferry/v1").put("kind", "Migration");
    manifest.putObject("metadata").put("name", migration);
    ObjectNode spec = manifest.putObject("spec").put("statefulApp", name).put("from", from).put("to", to).put("strategy", strategy);
    if (app.at("/spec/dataset/name").isTextual()) {
      spec.put("dataset", app.at("/spec/dataset/name").asText());
    }
    var answer = client.apply(Kind.MIGRATION, migration, manifest.toString(), false);
    out().println("migration/" + migration + " " + answer.outcome() + ": " + name + " moves from " + from + " to " + to);
    return ExitCodes.OK;
  }

  /** {@code <app>-<seconds in base 36>}, cut to fit a DNS label. */
  private String migrationName() {
    String stamp = Long.toString(Instant.now().getEpochSecond(), 36).toLowerCase(Locale.ROOT);
    String base = name.length() + 1 + stamp.length() > 63 ? name.substring(0, 62 - stamp.length()) : name;
    return base.replaceAll("-+$", "") + "-" + stamp;
  }
}
