package dev.ferry.agent.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nonces of the transfer tickets this node admitted, each until its ticket expires, kept in a
 * file so that an agent restart does not forget them (a stream captured before the restart would
 * otherwise be admitted again). One line per nonce, {@code <expiry epoch millis> <nonce>},
 * appended and fsynced before the ticket is admitted; expired lines are dropped when the file is
 * read and when it is rewritten. A line torn by a crash is ignored: its ticket was not admitted.
 * Blocking (file I/O); thread-safe.
 */
public final class UsedNonces {

  /** The file's name in the agent's state directory. */
  public static final String FILE = "used-ticket-nonces";

  private final Path file;
  private final Clock clock;
  private final Map<String, Instant> used = new HashMap<>();
  private int lines;

  private UsedNonces(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Reads the nonces remembered in {@code dir} (creating it when missing), dropping expired ones. */
  public static UsedNonces open(Path dir, Clock clock) {
    UsedNonces nonces = new UsedNonces(dir.resolve(FILE), clock);
    try {
      Files.createDirectories(dir);
      if (Files.exists(nonces.file)) {
        Instant now = clock.instant();
        for (String line : Files.readAllLines(nonces.file, StandardCharsets.UTF_8)) {
          String[] f = line.split(" ", -1);
          try {
            Instant expiry = Instant.ofEpochMilli(Long.parseLong(f[0]));
            if (f.length == 2 && !f[1].isEmpty() && now.isBefore(expiry)) {
              nonces.used.put(f[1], expiry);
            }
          } catch (NumberFormatException e) {
            // a torn line: its ticket was never admitted
          }
        }
      }
      synchronized (nonces) {
        nonces.rewrite();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the used ticket nonces in " + nonces.file + ": " + e.getMessage(), e);
    }
    return nonces;
  }

  /**
   * Remembers {@code nonce} until {@code expiry}, durably.
   *
   * @return false when it was used already
   */
  public synchronized boolean use(String nonce, Instant expiry) {
    Instant now = clock.instant();
    used.values().removeIf(e -> !now.isBefore(e));
    if (used.containsKey(nonce)) {
      return false;
    }
    try {
      if (lines > 2 * used.size() + 64) {
        rewrite();
      }
      append(expiry.toEpochMilli() + " " + nonce + "\n");
    } catch (IOException e) {
      // Not remembered durably means not admitted: a replay after a restart must not get through.
      throw new UncheckedIOException("cannot record a used ticket nonce in " + file + ": " + e.getMessage(), e);
    }
    used.put(nonce, expiry);
    return true;
  }

  private void append(String line) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    lines++;
  }

  /** Writes the live nonces to a new file and moves it into place, so a crash leaves the old or the new. */
  private void rewrite() throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    StringBuilder text = new StringBuilder();
    used.forEach((nonce, expiry) -> text.append(expiry.toEpochMilli()).append(' ').append(nonce).append('\n'));
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    lines = used.size();
  }

  /** The nonces remembered now, for tests. */
  synchronized List<String> nonces() {
    return List.copyOf(used.keySet());
  }
}
