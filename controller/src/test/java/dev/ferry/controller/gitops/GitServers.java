package dev.ferry.controller.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.api.process.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * Real git servers on loopback for the GitOps tests, each serving the repositories under one
 * folder and stopped by {@code close()}: {@code git daemon} (git://) and {@code git http-backend}
 * behind a small CGI bridge on the JDK's HTTP server that demands HTTP basic authentication with
 * a token (plain HTTP on loopback: TLS is the transport's business, not what is tested here).
 */
final class GitServers {

  private GitServers() {}

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** {@code git daemon} serving every repository under {@code root} at {@code git://127.0.0.1:<port>/<path>}. */
  static final class GitDaemon implements AutoCloseable {
    private final ManagedProcess process;
    private final int port;

    GitDaemon(Path root, Path log) throws IOException {
      port = freePort();
      process = ManagedProcess.start("git daemon", List.of("git", "daemon", "--reuseaddr", "--listen=127.0.0.1",
          "--port=" + port, "--export-all", "--informative-errors", "--base-path=" + root, root.toString()),
          Map.of(), log);
      try {
        process.awaitPort("127.0.0.1", port, Duration.ofSeconds(60));
      } catch (RuntimeException e) {
        process.close();
        throw e;
      }
    }

    String url(String repository) {
      return "git://127.0.0.1:" + port + "/" + repository;
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /**
   * {@code git http-backend} for the repositories under {@code root}, at
   * {@code http://127.0.0.1:<port>/<path>}, answering 401 unless the request's basic
   * authentication password is {@code token} (any user name, as GitHub takes it).
   */
  static final class GitHttp implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Path root;
    private final String token;

    GitHttp(Path root, String token) throws IOException {
      this.root = root;
      this.token = token;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setExecutor(threads);
      server.createContext("/", this::serve);
      server.start();
    }

    String url(String repository) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository;
    }

    private void serve(HttpExchange exchange) throws IOException {
      try (exchange) {
        if (!authorised(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> env = new HashMap<>();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        env.put("CONTENT_LENGTH", Integer.toString(body.length));
        env.put("REMOTE_USER", "git");
        env.put("REMOTE_ADDR", "127.0.0.1");
        header(exchange, "Content-Type").ifPresent(v -> env.put("CONTENT_TYPE", v));
        header(exchange, "Content-Encoding").ifPresent(v -> env.put("HTTP_CONTENT_ENCODING", v));
        header(exchange, "Git-Protocol").ifPresent(v -> env.put("GIT_PROTOCOL", v));
        ProcessBuilder builder = new ProcessBuilder("git", "http-backend").redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process cgi = builder.start();
        Thread feeder = new Thread(() -> {
          try (OutputStream in = cgi.getOutputStream()) {
            in.write(body);
          } catch (IOException e) {
            // the backend did not want it all: its answer says why
          }
        });
        feeder.start();
        byte[] out;
        try (InputStream stdout = cgi.getInputStream()) {
          out = stdout.readAllBytes();
        }
        cgi.destroy();
        respond(exchange, out);
      }
    }

    private boolean authorised(String header) {
      if (header == null || !header.startsWith("Basic ")) {
        return false;
      }
      String pair = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
      String password = pair.substring(pair.indexOf(':') + 1);
      return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static java.util.Optional<String> header(HttpExchange exchange, String name) {
      return java.util.Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** Turns the CGI answer (headers, a blank line, the body) into the HTTP one. */
    private static void respond(HttpExchange exchange, byte[] cgi) throws IOException {
      int end = indexOf(cgi, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      int skip = 4;
      if (end < 0) {
        end = indexOf(cgi, "\n\n".getBytes(StandardCharsets.US_ASCII));
        skip = 2;
      }
      int status = 200;
      for (String line : new String(cgi, 0, Math.max(end, 0), StandardCharsets.ISO_8859_1).split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.split(" ")[0]);
        } else {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      byte[] body = java.util.Arrays.copyOfRange(cgi, end < 0 ? 0 : end + skip, cgi.length);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
      outer:
      for (int i = 0; i + pattern.length <= data.length; i++) {
        for (int j = 0; j < pattern.length; j++) {
          if (data[i + j] != pattern[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  /**
   * Debian's OpenSSH server, {@code sshd -D} on a free loopback port with a host key, a client key
   * and a config of its own in {@code dir}, letting in the client key for this user only; git
   * runs over it as a user's ssh access would ({@code git-upload-pack}). sshd insists on its
   * privilege separation folder /run/sshd, which the system's unit makes at boot: when it is
   * missing, the fixture makes it and removes it again.
   */
  static final class Sshd implements AutoCloseable {
    private static final Path PRIVSEP = Path.of("/run/sshd");
    private final ManagedProcess process;
    private final boolean madePrivsep;
    private final int port;
    final Path clientKey;
    final String knownHosts;

    Sshd(Path dir) throws IOException {
      java.nio.file.Files.createDirectories(dir);
      port = freePort();
      Path hostKey = dir.resolve("host_key");
      clientKey = dir.resolve("client_key");
      keygen(hostKey);
      keygen(clientKey);
      java.nio.file.Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
      knownHosts = "[127.0.0.1]:" + port + " " + java.nio.file.Files.readString(dir.resolve("host_key.pub")).strip() + "\n";
      Path config = dir.resolve("sshd_config");
      java.nio.file.Files.writeString(config, String.join("\n",
          "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey, "PidFile " + dir.resolve("sshd.pid"),
          "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "StrictModes no", "UsePAM no",
          "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
          "AllowUsers " + System.getProperty("user.name"), "PermitRootLogin prohibit-password", "") );
      madePrivsep = !java.nio.file.Files.isDirectory(PRIVSEP);
      if (madePrivsep) {
        java.nio.file.Files.createDirectories(PRIVSEP);
      }
      try {
        process = ManagedProcess.start("sshd", List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()), Map.of(),
            dir.resolve("sshd.log"));
        process.awaitPort("127.0.0.1", port, Duration.ofSeconds(60));
      } catch (RuntimeException e) {
        removePrivsep();
        throw e;
      }
    }

    private static void keygen(Path key) {
      dev.ferry.api.process.Command.run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "ferry-test",
          "-f", key.toString()).orThrow();
    }

    /** {@code ssh://<this user>@127.0.0.1:<port><path>}. */
    String url(Path repository) {
      return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + repository.toAbsolutePath();
    }

    private void removePrivsep() {
      if (madePrivsep) {
        try {
          java.nio.file.Files.deleteIfExists(PRIVSEP);
        } catch (IOException e) {
          // not empty: something else uses it now
        }
      }
    }

    @Override
    public void close() {
      try {
        process.close();
      } finally {
        removePrivsep();
      }
    }
  }
}
