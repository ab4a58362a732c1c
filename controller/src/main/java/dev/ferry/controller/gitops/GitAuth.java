package dev.ferry.controller.gitops;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.internal.transport.sshd.OpenSshServerKeyDatabase;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How one fetch authenticates, from a GitSource's {@link GitCredentials}: HTTP basic
 * authentication with the token for http(s), and for ssh JGit's Apache MINA sshd client with the
 * key and known_hosts of the secret only. Whatever the credentials, an SSH fetch never reads the
 * controller's own {@code ~/.ssh} (keys, config, known_hosts), never asks, and refuses a host
 * whose key is not in the secret's known_hosts. Close it after the fetch (it holds the SSH client).
 */
final class GitAuth implements Closeable {

  private final GitCredentials credentials;
  private final Path sshHome;
  private Optional<SshdSessionFactory> ssh = Optional.empty();

  /**
   * @param sshHome an empty folder of this source's that stands for the SSH client's home, so
   *     that nothing of the controller user's is read
   */
  GitAuth(GitCredentials credentials, Path sshHome) {
    this.credentials = credentials;
    this.sshHome = sshHome;
  }

  /** Sets the credentials and the SSH client on {@code command}. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    if (!credentials.password().isEmpty()) {
      String user = credentials.username().isEmpty() ? "git" : credentials.username();
      command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(user, credentials.password()));
    }
    return command.setTransportConfigCallback(transport -> {
      if (transport instanceof SshTransport sshTransport) {
        sshTransport.setSshSessionFactory(sshFactory());
      }
    });
  }

  private synchronized SshdSessionFactory sshFactory() {
    if (ssh.isEmpty()) {
      try {
        Files.createDirectories(sshHome);
      } catch (java.io.IOException e) {
        throw new GitException("cannot create " + sshHome + " for the SSH client", e);
      }
      List<Path> knownHosts = credentials.knownHosts().stream().toList();
      List<Path> identities = credentials.identity().stream().toList();
      ssh = Optional.of(new SshdSessionFactoryBuilder()
          .setHomeDirectory(sshHome.toFile())
          .setSshDirectory(sshHome.toFile())
          // No ~/.ssh/config: what a user's config says has no say in the controller's fetches.
          .setConfigStoreFactory((home, file, user) -> null)
          .setDefaultIdentities(dir -> identities)
          .setDefaultKnownHostsFiles(dir -> knownHosts)
          .setServerKeyDatabase((home, dir) -> new KnownHostsOnly(knownHosts))
          .setPreferredAuthentications("publickey")
          .build(null));
    }
    return ssh.get();
  }

  @Override
  public synchronized void close() {
    ssh.ifPresent(SshdSessionFactory::close);
    ssh = Optional.empty();
  }

  /**
   * The secret's known_hosts and nothing else, strictly: an unknown or changed host key is
   * refused, whatever an SSH config would say, and no one is asked.
   */
  private static final class KnownHostsOnly implements ServerKeyDatabase {

    private final ServerKeyDatabase files;

    KnownHostsOnly(List<Path> knownHosts) {
      // JGit's own known_hosts reader (internal, but the transport is pinned to the same JGit
      // version): hashed names, [host]:port and markers are read as OpenSSH reads them.
      this.files = new OpenSshServerKeyDatabase(false, knownHosts);
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
      return files.lookup(connectAddress, remoteAddress, strict(config));
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
        Configuration config, CredentialsProvider provider) {
      return files.accept(connectAddress, remoteAddress, serverKey, strict(config), null);
    }

    private static Configuration strict(Configuration config) {
      return new Configuration() {
        @Override
        public List<String> getUserKnownHostsFiles() {
          return List.of();
        }

        @Override
        public List<String> getGlobalKnownHostsFiles() {
          return List.of();
        }

        @Override
        public StrictHostKeyChecking getStrictHostKeyChecking() {
          return StrictHostKeyChecking.REQUIRE_MATCH;
        }

        @Override
        public boolean getHashKnownHosts() {
          return false;
        }

        @Override
        public String getUsername() {
          return config.getUsername();
        }
      };
    }
  }
}
