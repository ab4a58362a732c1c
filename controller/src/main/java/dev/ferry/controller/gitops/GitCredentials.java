package dev.ferry.controller.gitops;

import dev.ferry.api.model.GitSecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A GitSource's secrets, read from the folder its {@code spec.secretRef.name} names in the
 * controller's credentials directory: one file per key, as Kubernetes mounts a Secret.
 *
 * <pre>
 * username         for https://: the user to send with the token (default "git"; GitLab wants
 *                  "oauth2", GitHub takes anything)
 * password         for https://: the token or password, sent as HTTP basic authentication
 * identity         for ssh://: the private key (OpenSSH format, no passphrase)
 * known_hosts      for ssh://: the server's host keys; a host not in it is refused
 * webhook-secret   for POST /hooks/gitsources/NAME: the shared secret of GitHub's
 *                  X-Hub-Signature-256 or GitLab's X-Gitlab-Token
 * </pre>
 *
 * Only the name is in the GitSource, which every {@code view} token can read; the files stay on
 * the controller's disk and their contents never go to a status, an Event or the log. Read on
 * each sync (a worker thread, blocking), so a rotated token is used by the next sync.
 *
 * @param username empty for the default
 * @param password empty when none
 * @param identity the key file, when there is one
 * @param knownHosts the known_hosts file, when there is one
 * @param webhookSecret empty when none: then no webhook is accepted for the source
 */
record GitCredentials(String username, String password, Optional<Path> identity, Optional<Path> knownHosts,
    String webhookSecret) {

  static final GitCredentials NONE = new GitCredentials("", "", Optional.empty(), Optional.empty(), "");

  /**
   * The credentials {@code ref} names in {@code dir}, {@link #NONE} when it names none.
   *
   * @throws GitException naming the secretRef (never a file's contents) when it cannot be read
   */
  static GitCredentials read(Optional<Path> dir, GitSecretRef ref) {
    if (ref.isEmpty()) {
      return NONE;
    }
    if (dir.isEmpty()) {
      throw new GitException("spec.secretRef: this controller has no credentials directory"
          + " (gitops.credentialsDir in its configuration), so it cannot read secret " + ref.name());
    }
    Path folder = dir.get().resolve(ref.name()).normalize();
    // The name is a DNS label (validated), so it cannot leave the directory; checked anyway.
    if (!folder.getParent().equals(dir.get().normalize()) || !Files.isDirectory(folder)) {
      throw new GitException("spec.secretRef: no secret " + ref.name() + " in the controller's credentials directory");
    }
    return new GitCredentials(text(folder.resolve("username")), text(folder.resolve("password")),
        file(folder.resolve("identity")), file(folder.resolve("known_hosts")), text(folder.resolve("webhook-secret")));
  }

  private static String text(Path file) {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    try {
      // Files written with echo end in a newline that is no part of the secret.
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new GitException("spec.secretRef: cannot read " + file.getFileName() + " of the secret: "
          + e.getClass().getSimpleName());
    }
  }

  private static Optional<Path> file(Path file) {
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
