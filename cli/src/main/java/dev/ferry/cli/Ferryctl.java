package dev.ferry.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ferryctl}: Ferry's kubectl. {@link #run} is the whole program, so that tests run it
 * in-process with their own {@link CliEnv}; {@link #main} runs it for real.
 */
// scope = INHERIT gives every subcommand, and theirs, --help and --version (as kubectl's).
@Command(name = "ferryctl", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "Controls Ferry: apply manifests, watch objects, move datasets.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl apply -R -f manifests/",
        "  ferryctl get statefulapps -w",
        "  ferryctl explain statefulapp.spec.dataset",
        "  ferryctl <command> --help"},
    subcommands = {ApplyCommand.class, DiffCommand.class, GetCommand.class, DescribeCommand.class,
        DeleteCommand.class, EventsCommand.class, MigrateCommand.class, WaitCommand.class, SyncCommand.class,
        CompletionCommand.class, ExplainCommand.class,
        ApiResourcesCommand.class, VersionCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Ferryctl implements Runnable {

  @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT, description = "API server URL (default: FERRY_SERVER, the context, or http://127.0.0.1:7070)")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT, description = "bearer token (default: FERRY_TOKEN or the context's)")
  String token;

  @Option(names = "--context", paramLabel = "NAME", scope = ScopeType.INHERIT, description = "context of the config file to use")
  String context;

  @Option(names = "--certificate-authority", paramLabel = "FILE", scope = ScopeType.INHERIT, description = "PEM file of the CA the server's certificate must come from (default: the context's)")
  Path certificateAuthority;

  @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT, description = "trust any server certificate and name: the connection is encrypted but the server unchecked")
  boolean insecureSkipTlsVerify;

  final CliEnv env;

  Ferryctl(CliEnv env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(CliEnv.system(), args));
  }

  /** Runs ferryctl with {@code args}; returns the exit code. */
  public static int run(CliEnv env, String... args) {
    CommandLine cli = new CommandLine(new Ferryctl(env));
    cli.setOut(env.out());
    cli.setErr(env.err());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((e, given) -> {
      env.err().println("error: " + e.getMessage());
      env.err().println("See 'ferryctl --help'.");
      return errorExitCode(e.getCommandLine());
    });
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      env.err().println(e instanceof CliException ? e.getMessage() : "error: " + e);
      return errorExitCode(command);
    });
    try {
      return cli.execute(args);
    } finally {
      env.out().flush();
      env.err().flush();
    }
  }

  /** What a failure of {@code command} exits with: the command's own choice ({@code diff}: 2), else 1. */
  private static int errorExitCode(CommandLine command) {
    return command != null && command.getCommand() instanceof Verb verb ? verb.errorExitCode() : ExitCodes.ERROR;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: see ferryctl --help");
  }

  Target target() {
    return Target.resolve(Optional.ofNullable(server), Optional.ofNullable(token), Optional.ofNullable(context),
        Optional.ofNullable(certificateAuthority), insecureSkipTlsVerify, env);
  }

  FerryClient client() {
    return new FerryClient(target());
  }
}
