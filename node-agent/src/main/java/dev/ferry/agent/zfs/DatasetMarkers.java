package dev.ferry.agent.zfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two small files Ferry keeps inside every dataset, in {@code .ferry/} at the top of its
 * filesystem, so that they travel to every copy with the snapshots:
 *
 * <ul>
 *   <li>{@code .ferry/identity}: the {@code guid} of the filesystem the agent created, written
 *       once. A mount that does not show it (a bare mountpoint directory, another dataset) is not
 *       the dataset, whatever ZFS says.
 *   <li>{@code .ferry/snapshot}: the name of the snapshot the source takes next, written before
 *       each round's snapshot. A copy that became the primary must show the name of its newest
 *       snapshot; an older name means zfs-fuse serves a stale view of the files.
 * </ul>
 *
 * <p>The dataset's files are the application's, so nothing here follows a symbolic link, and a
 * marker that is too long or not one plain word reads as absent. Writes go to a temporary file,
 * are fsynced, renamed into place, and the directories fsynced, so a crash leaves the old marker
 * or the new one. Blocking file I/O: call from a worker thread.
 */
public final class DatasetMarkers {

  static final String DIR = ".ferry";
  static final String IDENTITY = "identity";
  static final String SNAPSHOT = "snapshot";
  private static final int MAX_BYTES = 256;
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:-]{1,255}");

  private final ZfsDriver zfs;
  private final ZfsLayout layout;

  public DatasetMarkers(ZfsDriver zfs) {
    this.zfs = zfs;
    this.layout = zfs.layout();
  }

  /** What {@code .ferry/identity} under the dataset's mountpoint says, empty when it says nothing readable. */
  public Optional<String> identity(DatasetName dataset) {
    return read(layout.mountpoint(dataset), IDENTITY);
  }

  /**
   * Writes {@code .ferry/identity}.
   *
   * @throws IllegalStateException when the dataset is not mounted: the marker never goes into a
   *     bare mountpoint directory, where it would make an empty directory pass for the dataset
   * @throws UncheckedIOException when it cannot be written (a read-only copy)
   */
  public void writeIdentity(DatasetName dataset, String identity) {
    write(dataset, IDENTITY, identity);
  }

  /** What {@code .ferry/snapshot} under the dataset's mountpoint says, empty when it says nothing readable. */
  public Optional<String> roundSnapshot(DatasetName dataset) {
    return read(layout.mountpoint(dataset), SNAPSHOT);
  }

  /**
   * Writes {@code .ferry/snapshot}; fails as {@link #writeIdentity} does. {@code seen} is the
   * copy's state as the caller just read it (so that the cut-over does not read it twice).
   */
  public void writeRoundSnapshot(DatasetName dataset, String snapshot, DatasetState seen) {
    write(dataset, SNAPSHOT, snapshot, seen);
  }

  private void write(DatasetName dataset, String marker, String value) {
    write(dataset, marker, value, zfs.state(dataset));
  }

  private void write(DatasetName dataset, String marker, String value, DatasetState seen) {
    if (!seen.mounted()) {
      throw new IllegalStateException("dataset " + dataset + " is not mounted: its " + DIR + "/" + marker
          + " marker is not written into the bare mountpoint directory");
    }
    write(layout.mountpoint(dataset), marker, value);
  }

  static Optional<String> read(Path mountpoint, String marker) {
    Path dir = mountpoint.resolve(DIR);
    if (!isPlainDirectory(dir)) {
      return Optional.empty();
    }
    Path file = dir.resolve(marker);
    // Only a plain file is opened: opening a named pipe the application put there would wait for
    // a writer, holding the agent's thread for good. (A swap between this look and the open is
    // not closed: Java opens nothing with O_NONBLOCK.)
    if (!isPlainFile(file)) {
      return Optional.empty();
    }
    try (SeekableByteChannel in = Files.newByteChannel(file,
        Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      ByteBuffer buffer = ByteBuffer.allocate(MAX_BYTES + 1);
      while (buffer.hasRemaining() && in.read(buffer) > 0) {
        // read until full or at the end
      }
      if (buffer.position() > MAX_BYTES) {
        return Optional.empty();
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
      return WORD.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    } catch (IOException e) {
      // Missing, a link, a directory: no marker.
      return Optional.empty();
    }
  }

  static void write(Path mountpoint, String marker, String value) {
    if (!WORD.matcher(value).matches()) {
      throw new IllegalArgumentException("marker " + marker + " must be one plain word, got '" + value + "'");
    }
    Path dir = mountpoint.resolve(DIR);
    try {
      if (!isPlainDirectory(dir)) {
        // Fails when something else (a file, a link) has the name: never written through.
        Files.createDirectory(dir);
        fsync(mountpoint);
      }
      Path temporary = dir.resolve(marker + ".tmp");
      // Whatever has the temporary name (a crash's leftover, or a named pipe or file of the
      // application's) goes, and the file is created new: a pipe would hold the write until
      // someone reads it, and an existing file would take the marker into the application's.
      Files.deleteIfExists(temporary);
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temporary, dir.resolve(marker), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsync(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(marker) + ": " + e, e);
    }
  }

  private static boolean isPlainFile(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isPlainDirectory(Path dir) {
    try {
      return Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory();
    } catch (IOException e) {
      return false;
    }
  }

  private static void fsync(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
