package dev.ferry.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code config view|current-context|get-contexts|use-context|set-context}: the contexts file
 * ({@code ~/.ferry/config}, or {@code FERRY_CONFIG}). {@code view} hides tokens unless
 * {@code --raw}.
 */
@Command(name = "config", description = "Show or change the contexts file.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl config set-context local --server http://127.0.0.1:7070 --token TOKEN",
        "  ferryctl config use-context local",
        "  ferryctl config get-contexts",
        "  ferryctl config view --raw"},
    subcommands = {ConfigCommand.View.class, ConfigCommand.CurrentContext.class, ConfigCommand.GetContexts.class,
        ConfigCommand.UseContext.class, ConfigCommand.SetContext.class})
final class ConfigCommand implements Runnable {

  @ParentCommand
  Ferryctl root;

  @Override
  public void run() {
    throw new CliException("error: a config command is required: view, current-context, get-contexts, use-context, set-context");
  }

  ClientConfig load() {
    return ClientConfig.load(root.env.configFile());
  }

  void save(ClientConfig config) {
    config.save(root.env.configFile());
  }

  PrintWriter out() {
    return root.env.out();
  }

  /** The parent of every config subcommand. */
  abstract static class Sub implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ConfigCommand config;
  }

  @Command(name = "view", description = "Print the config (tokens hidden unless --raw).",
      footerHeading = "%nExamples:%n", footer = {"  ferryctl config view", "  ferryctl config view -o json --raw"})
  static final class View extends Sub {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml or json")
    String output;

    @Option(names = "--raw", description = "show tokens")
    boolean raw;

    @Override
    public Integer call() {
      ObjectNode tree = Json.json().valueToTree(config.load());
      if (!raw) {
        tree.path("contexts").forEach(c -> {
          if (c.has("token")) {
            ((ObjectNode) c).put("token", "REDACTED");
          }
        });
      }
      switch (output) {
        case "yaml" -> config.out().print(Output.yaml(tree));
        case "json" -> config.out().println(Output.json(tree));
        default -> throw new CliException("error: unknown output format '" + output + "': use yaml or json");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "current-context", description = "Print the current context's name.",
      footerHeading = "%nExamples:%n", footer = "  ferryctl config current-context")
  static final class CurrentContext extends Sub {
    @Override
    public Integer call() {
      String name = config.load().currentContext();
      if (name.isEmpty()) {
        throw new CliException("error: current-context is not set");
      }
      config.out().println(name);
      return ExitCodes.OK;
    }
  }

  @Command(name = "get-contexts", description = "List the contexts.",
      footerHeading = "%nExamples:%n", footer = "  ferryctl config get-contexts")
  static final class GetContexts extends Sub {
    @Override
    public Integer call() {
      ClientConfig c = config.load();
      config.out().printf("%-9s %-20s %s%n", "CURRENT", "NAME", "SERVER");
      c.contexts().forEach(ctx -> config.out().printf("%-9s %-20s %s%n",
          ctx.name().equals(c.currentContext()) ? "*" : "", ctx.name(), ctx.server()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "use-context", description = "Make a context the current one.",
      footerHeading = "%nExamples:%n", footer = "  ferryctl config use-context devcluster")
  static final class UseContext extends Sub {
    @Parameters(index = "0", paramLabel = "NAME", description = "the context")
    String name;

    @Override
    public Integer call() {
      config.save(config.load().using(name));
      config.out().println("Switched to context \"" + name + "\".");
      return ExitCodes.OK;
    }
  }

  /**
   * {@code set-context NAME [--server URL] [--token T] [--certificate-authority FILE]
   * [--insecure-skip-tls-verify]}: the global options give the context's values.
   */
  @Command(name = "set-context", description = "Add or change a context (with --server, --token, --certificate-authority).",
      footerHeading = "%nExamples:%n",
      footer = {"  ferryctl config set-context local --server http://127.0.0.1:7070 --token TOKEN",
          "  ferryctl config set-context local --token NEW-TOKEN"})
  static final class SetContext extends Sub {
    @Parameters(index = "0", paramLabel = "NAME", description = "the context")
    String name;

    @Override
    public Integer call() {
      Optional<String> server = Optional.ofNullable(config.root.server);
      Optional<String> token = Optional.ofNullable(config.root.token);
      Optional<String> ca = Optional.ofNullable(config.root.certificateAuthority).map(p -> p.toAbsolutePath().toString());
      ClientConfig c = config.load();
      Optional<ClientConfig.Context> existing = c.context(name);
      ClientConfig.Context before = existing.orElse(new ClientConfig.Context(name, "", ""));
      c = c.with(new ClientConfig.Context(name, server.orElse(before.server()), token.orElse(before.token()),
          ca.orElse(before.certificateAuthority()), config.root.insecureSkipTlsVerify || before.insecureSkipTlsVerify()));
      config.save(c);
      config.out().println("Context \"" + name + "\" " + (existing.isPresent() ? "modified" : "created") + ".");
      return ExitCodes.OK;
    }
  }
}
