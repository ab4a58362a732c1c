package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A migration's progress for people: bytes sent (the finished rounds plus the round under way)
 * against the data to copy, the current rate and the time left at that rate. On a terminal a
 * bar, otherwise a plain line that logs and scripts can read. A finished migration gets a
 * summary instead: what it sent and how fast.
 */
record Progress(String phase, long bytes, long total, double bytesPerSecond) {

  private static final int BAR = 30;

  private static final Set<String> FINISHED = Set.of("Succeeded", "RolledBack", "Failed");

  /**
   * From a Migration object; {@code total} is the bytes to copy (the source copy's size, 0 if
   * unknown).
   */
  static Progress of(JsonNode migration, long total, Instant now) {
    JsonNode status = migration.path("status");
    JsonNode transfer = status.path("transfer");
    boolean sending = transfer.path("state").asText().equals("Running");
    long sent = status.path("bytesTransferred").asLong() + (sending ? transfer.path("bytes").asLong() : 0);
    Optional<Instant> started = instant(status.path("startTime"));
    Instant end = instant(status.path("completionTime")).orElse(now);
    double seconds = started.map(s -> Duration.between(s, end).toMillis() / 1000.0).orElse(0.0);
    double rate = sending && transfer.path("bytesPerSecond").asLong() > 0 ? transfer.path("bytesPerSecond").asLong()
        : seconds > 0 ? sent / seconds : 0;
    return new Progress(status.path("phase").asText("Pending"), sent, total, rate);
  }

  String render(boolean terminal) {
    String rate = bytes((long) bytesPerSecond) + "/s";
    if (FINISHED.contains(phase)) {
      return phase + ": " + bytes(bytes) + " sent, " + rate + " on average";
    }
    String eta = eta().map(d -> ", ETA " + duration(d)).orElse("");
    if (total <= 0) {
      return phase + ": " + bytes(bytes) + " sent, " + rate;
    }
    int percent = (int) Math.min(100, bytes * 100 / total);
    if (!terminal) {
      return String.format(Locale.ROOT, "%s: %d%% (%d of %d bytes), %s%s", phase, percent, bytes, total, rate, eta);
    }
    int filled = percent * BAR / 100;
    return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s / %s, %s%s", phase, "#".repeat(filled), ".".repeat(BAR - filled),
        percent, bytes(bytes), bytes(total), rate, eta);
  }

  /**
   * What a log needs a new line for: the phase and the whole percentage (the phase alone when
   * the total is unknown); the bytes, rate and ETA change with every report.
   */
  String milestone() {
    return total <= 0 ? phase : phase + " " + Math.min(100, bytes * 100 / total) + "%";
  }

  private Optional<Duration> eta() {
    if (bytesPerSecond <= 0 || total <= bytes) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds((long) Math.ceil((total - bytes) / bytesPerSecond)));
  }

  /** 1.5 GiB, 64.0 MiB, 512 B. */
  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = n;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String duration(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + (s % 3600) / 60 + "m";
  }

  private static Optional<Instant> instant(JsonNode node) {
    try {
      return node.isTextual() ? Optional.of(Instant.parse(node.asText())) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
