package dev.ferry.e2e.cluster;

import dev.ferry.api.model.Quantity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** Data for a move to carry: random, so that neither compression nor dedup makes it smaller. */
public final class RandomFile {

  private RandomFile() {}

  /** Writes {@code size} random bytes to the new file {@code file} and forces them to disk. */
  public static void write(Path file, Quantity size) throws IOException {
    SplittableRandom random = new SplittableRandom();
    byte[] chunk = new byte[1 << 20];
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < size.bytes(); written += chunk.length) {
        random.nextBytes(chunk);
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size.bytes() - written));
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      out.force(true);
    }
  }
}
