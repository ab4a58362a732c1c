package dev.ferry.cli;

import dev.ferry.api.build.BuildVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/** {@code version [--client]}: ferryctl's version, then the server's. */
@Command(name = "version", description = "Show the client and server versions.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl version",
        "  ferryctl version --client"})
final class VersionCommand extends Verb {

  @Option(names = "--client", description = "only the client's version")
  boolean clientOnly;

  static String clientVersion() {
    return BuildVersion.get();
  }

  @Override
  public Integer call() {
    out().println("Client Version: " + clientVersion());
    if (!clientOnly) {
      out().println("Server Version: " + client().version().path("version").asText("unknown"));
    }
    return ExitCodes.OK;
  }

  /** For {@code ferryctl --version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ferryctl " + clientVersion()};
    }
  }
}
