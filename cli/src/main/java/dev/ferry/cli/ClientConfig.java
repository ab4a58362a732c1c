package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.ManifestReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ferryctl's contexts file ({@code ~/.ferry/config}, or {@code FERRY_CONFIG}):
 *
 * <pre>
 * current-context: local
 * contexts:
 * - {name: local, server: https://127.0.0.1:7070, token: 3f9c0b8e..., certificate-authority: /path/ca.crt}
 * </pre>
 *
 * As kubectl's: {@code certificate-authority} is the PEM file of the CA the server's certificate
 * must come from (else the JDK's own trusted CAs), {@code insecure-skip-tls-verify: true} trusts
 * any server (its certificate and its name go unchecked).
 *
 * A missing file is an empty config. Saved with mode 600: it holds tokens.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ClientConfig(@JsonProperty("current-context") String currentContext, List<Context> contexts) {

  public ClientConfig {
    currentContext = currentContext == null ? "" : currentContext;
    contexts = contexts == null ? List.of() : List.copyOf(contexts);
  }

  /** A named server, the token to use with it, and how to trust its certificate. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Context(String name, String server, String token,
      @JsonProperty("certificate-authority") String certificateAuthority,
      @JsonProperty("insecure-skip-tls-verify") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean insecureSkipTlsVerify) {
    public Context {
      server = server == null ? "" : server;
      token = token == null ? "" : token;
      certificateAuthority = certificateAuthority == null ? "" : certificateAuthority;
    }

    /** A context that trusts the JDK's CAs. */
    public Context(String name, String server, String token) {
      this(name, server, token, "", false);
    }
  }

  public static ClientConfig load(Path file) {
    if (!Files.exists(file)) {
      return new ClientConfig("", List.of());
    }
    try {
      JsonNode tree = new ManifestReader().readOne(Files.readString(file));
      return Json.json().treeToValue(tree, ClientConfig.class);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(file + " is not a ferryctl config: " + e.getMessage());
    }
  }

  public void save(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".config", ".tmp");
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the folder's own protection has to do.
      }
      Files.writeString(temp, Json.yaml().writeValueAsString(this));
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public Optional<Context> context(String name) {
    return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public Optional<Context> current() {
    return context(currentContext);
  }

  /** This config with {@code context} added or replacing the one of its name. */
  public ClientConfig with(Context context) {
    List<Context> next = new ArrayList<>(contexts.stream().filter(c -> !c.name().equals(context.name())).toList());
    next.add(context);
    return new ClientConfig(currentContext.isEmpty() ? context.name() : currentContext, next);
  }

  public ClientConfig using(String name) {
    if (context(name).isEmpty()) {
      throw new CliException("no context named '" + name + "'");
    }
    return new ClientConfig(name, contexts);
  }
}
