package dev.ferry.cli;

import dev.ferry.api.model.Kind;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code delete KIND NAME [--wait] [--timeout 60s]}: deletes, or (for an object with
 * finalizers, such as a StatefulApp whose dataset is being released) marks it for deletion;
 * {@code --wait} returns once it is gone.
 */
@Command(name = "delete", description = "Delete an object.")
final class DeleteCommand extends Verb {

  @Parameters(index = "0")
  String kindWord;

  @Parameters(index = "1")
  String name;

  @Option(names = "--wait", description = "wait until the object is gone (its finalizers done)")
  boolean await;

  @Option(names = "--timeout", defaultValue = "60s", description = "how long --wait waits, e.g. 30s, 5m")
  String timeout;

  @Option(names = "--dry-run", arity = "0..1", fallbackValue = "server", defaultValue = "none", description = "none or server")
  DryRun dryRun;

  @Override
  public Integer call() throws InterruptedException {
    Kind<?, ?, ?> kind = kind(kindWord);
    FerryClient client = client();
    var answer = client.delete(kind, name, dryRun != DryRun.NONE);
    String suffix = dryRun == DryRun.NONE ? "" : " (server dry run)";
    if (answer.outcome().equals("deleting")) {
      out().println(ref(kind.name(), name) + " marked for deletion, waiting for " + answer.body().at("/metadata/finalizers") + suffix);
    } else {
      out().println(ref(kind.name(), name) + " deleted" + suffix);
    }
    out().flush();
    if (await && dryRun == DryRun.NONE) {
      Instant deadline = Instant.now().plus(parse(timeout));
      while (client.get(kind, name).isPresent()) {
        if (Instant.now().isAfter(deadline)) {
          throw new CliException("error: timed out after " + timeout + " waiting for " + ref(kind.name(), name) + " to be gone");
        }
        Thread.sleep(500);
      }
    }
    return ExitCodes.OK;
  }

  private static Duration parse(String text) {
    try {
      return dev.ferry.api.model.Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException("error: --timeout: " + e.getMessage());
    }
  }
}
