package dev.ferry.devcluster.launcher;

import dev.ferry.api.tls.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secrets {@code up} makes: an admin token in the controller's tokens file
 * ({@code token,user,role} lines), the cluster key that authenticates the agents and signs
 * transfer tickets and receipts (64 hex characters: 32 random bytes of key) and the scheduler's basic-authentication credentials
 * ({@code ferry:<64 hex>}, Marathon's {@code --http_credentials} form), and the empty directory of
 * app secrets (the controller's {@code secretsDir}). Every file is readable by
 * its owner only, and none of them is ever passed on a command line.
 */
final class ClusterSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterSecrets() {}

  /** Writes the three files and returns the admin token. */
  static String create(StateDir dir) {
    String token = randomHex(32);
    writePrivate(dir.tokens(), "# token,user,role: written by ./ferry up, removed by ./ferry down\n"
        + token + ",admin,admin\n");
    writePrivate(dir.clusterKey(), randomHex(32) + "\n");
    writePrivate(dir.marathonCredentials(), "ferry:" + randomHex(32) + "\n");
    try {
      // Empty: a user puts the files their apps' secrets name here (docs/security.md).
      Files.createDirectories(dir.appSecrets(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir.appSecrets(), e);
    }
    return token;
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static void writePrivate(Path file, String text) {
    PrivateFiles.write(file, text);
  }
}
