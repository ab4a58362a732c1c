package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Follows a watch until the user stops it (Ctrl-C, or the thread is interrupted), across lost
 * connections: each ADDED/MODIFIED/DELETED goes to {@code onChange}; heartbeats and sync markers
 * are skipped. When the socket drops or the server goes away, it says so once on stderr and
 * reconnects from the last resourceVersion it saw (the server sends one ordered sequence, so
 * nothing is missed); when the server answers 410 (that history is compacted), it lists again
 * and watches from the list. Any other error from the server ends it with a {@link CliException}.
 */
final class Watching {

  private static final Duration FIRST_RETRY = Duration.ofMillis(250);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final FerryClient client;
  private final PrintWriter err;
  private Duration retry = FIRST_RETRY;
  private boolean lost;

  private Watching(FerryClient client, PrintWriter err) {
    this.client = client;
    this.err = err;
  }

  /**
   * Follows {@code query} (without a resourceVersion) from {@code revision} on; {@code relist}
   * lists again (printing what it lists) and answers the list's resourceVersion. Returns 0 when
   * interrupted.
   */
  static int follow(FerryClient client, PrintWriter err, String query, long revision,
      BiConsumer<String, JsonNode> onChange, LongSupplier relist) {
    Watching watching = new Watching(client, err);
    long from = revision;
    try {
      while (true) {
        Optional<FerryClient.Watch> opened = watching.open(query + "&resourceVersion=" + from);
        if (opened.isEmpty()) {
          continue;
        }
        try (FerryClient.Watch watch = opened.get()) {
          while (true) {
            JsonNode frame = watch.frames().take();
            String type = frame.path("type").asText();
            if (isChange(type)) {
              watching.connected();
              onChange.accept(type, frame.path("object"));
              from = Math.max(from, frame.path("resourceVersion").asLong());
            } else if (type.equals("ERROR") && frame.path("code").asInt() == 410) {
              from = relist.getAsLong();
              break;
            } else if (watching.endsConnection(frame)) {
              break;
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    }
  }

  /**
   * Follows one object until {@code met} holds for its state (empty: it does not exist), checked
   * once the server has listed it and after each change; across lost connections, each time
   * listing afresh. Returns false if {@code deadline} passes first.
   */
  static boolean until(FerryClient client, PrintWriter err, Kind<?, ?, ?> kind, String name, Instant deadline,
      Predicate<Optional<JsonNode>> met) throws InterruptedException {
    Watching watching = new Watching(client, err);
    String query = "kind=" + kind.plural() + "&name=" + FerryClient.encode(name);
    while (Instant.now().isBefore(deadline)) {
      Optional<FerryClient.Watch> opened = watching.open(query);
      if (opened.isEmpty()) {
        continue;
      }
      try (FerryClient.Watch watch = opened.get()) {
        Optional<JsonNode> state = Optional.empty();
        boolean synced = false;
        while (true) {
          long left = Duration.between(Instant.now(), deadline).toMillis();
          JsonNode frame = left <= 0 ? null : watch.frames().poll(left, TimeUnit.MILLISECONDS);
          if (frame == null) {
            return false;
          }
          String type = frame.path("type").asText();
          if (isChange(type)) {
            watching.connected();
            state = type.equals("DELETED") ? Optional.empty() : Optional.of(frame.path("object"));
          } else if (type.equals("SYNCED")) {
            watching.connected();
            synced = true;
          } else if (watching.endsConnection(frame)) {
            break;
          } else {
            continue;
          }
          if (synced && met.test(state)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isChange(String type) {
    return type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED");
  }

  /** Opens the watch; if the server cannot be reached, says so once and waits before the next try. */
  private Optional<FerryClient.Watch> open(String query) throws InterruptedException {
    try {
      return Optional.of(client.watch(query));
    } catch (CliException e) {
      lose(e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Whether {@code frame} ends this connection so that a new one should be opened: a closed
   * socket, or the server going away (503). Other errors are the user's to see.
   */
  private boolean endsConnection(JsonNode frame) throws InterruptedException {
    String type = frame.path("type").asText();
    if (type.equals("CLOSED")) {
      lose("the connection closed: " + (frame.path("code").asText("") + " " + frame.path("reason").asText("")).strip());
      return true;
    }
    if (type.equals("ERROR")) {
      if (frame.path("code").asInt() == 503) {
        lose("the server went away: " + frame.path("message").asText());
        return true;
      }
      throw new CliException("error: the watch ended: " + frame.path("message").asText());
    }
    return false;
  }

  private void lose(String why) throws InterruptedException {
    if (!lost) {
      err.println("watch interrupted (" + why + "); reconnecting");
      err.flush();
      lost = true;
    }
    Thread.sleep(retry.toMillis());
    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
  }

  private void connected() {
    lost = false;
    retry = FIRST_RETRY;
  }
}
