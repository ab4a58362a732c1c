package dev.ferry.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which API server and token a command uses: {@code --server}/{@code --token} first, then
 * {@code FERRY_SERVER}/{@code FERRY_TOKEN}, then the context ({@code --context} or the current
 * one), then {@value #DEFAULT_SERVER} without a token. The CA to trust is
 * {@code --certificate-authority}, else the context's; {@code --insecure-skip-tls-verify} (or the
 * context's) trusts any server.
 */
record Target(String server, Optional<String> token, Optional<Path> certificateAuthority, boolean insecure) {

  static final String DEFAULT_SERVER = "http://127.0.0.1:7070";

  Target {
    server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  static Target resolve(Optional<String> server, Optional<String> token, Optional<String> contextName, CliEnv env) {
    return resolve(server, token, contextName, Optional.empty(), false, env);
  }

  static Target resolve(Optional<String> server, Optional<String> token, Optional<String> contextName,
      Optional<Path> certificateAuthority, boolean insecure, CliEnv env) {
    ClientConfig config = ClientConfig.load(env.configFile());
    Optional<ClientConfig.Context> context = contextName.isPresent()
        ? Optional.of(config.context(contextName.get()).orElseThrow(() ->
            new CliException("no context named '" + contextName.get() + "' in " + env.configFile())))
        : config.current();
    String chosenServer = server.or(() -> env.variable("FERRY_SERVER"))
        .or(() -> context.map(ClientConfig.Context::server).filter(s -> !s.isEmpty()))
        .orElse(DEFAULT_SERVER);
    Optional<String> chosenToken = token.or(() -> env.variable("FERRY_TOKEN"))
        .or(() -> context.map(ClientConfig.Context::token).filter(t -> !t.isEmpty()));
    Optional<Path> ca = certificateAuthority.or(() -> context.map(ClientConfig.Context::certificateAuthority)
        .filter(c -> !c.isEmpty()).map(Path::of));
    return new Target(chosenServer, chosenToken, ca,
        insecure || context.map(ClientConfig.Context::insecureSkipTlsVerify).orElse(false));
  }
}
