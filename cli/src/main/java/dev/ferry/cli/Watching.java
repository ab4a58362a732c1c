package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiConsumer;

/**
 * Follows a watch until the user stops it (Ctrl-C, or the thread is interrupted) or the server
 * ends it: each ADDED/MODIFIED/DELETED goes to {@code onChange}; heartbeats and sync markers
 * are skipped; an error or a closed socket ends with a {@link CliException} that says why.
 */
final class Watching {

  private Watching() {}

  /** Returns 0 when interrupted; throws when the server ends the watch. */
  static int follow(FerryClient client, String query, BiConsumer<String, JsonNode> onChange) {
    try (FerryClient.Watch watch = client.watch(query)) {
      while (true) {
        JsonNode frame = watch.frames().take();
        String type = frame.path("type").asText();
        switch (type) {
          case "ADDED", "MODIFIED", "DELETED" -> onChange.accept(type, frame.path("object"));
          case "ERROR" -> throw new CliException("error: the watch ended: " + frame.path("message").asText());
          case "CLOSED" -> throw new CliException("error: the server closed the watch: "
              + frame.path("code").asText("") + " " + frame.path("reason").asText(""));
          default -> { }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    }
  }
}
