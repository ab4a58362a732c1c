package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wait --for=CONDITION KIND/NAME... [--timeout 30s]}, as kubectl's: follows each object
 * over the watch (not by polling) until the condition holds, printing
 * {@code statefulapp/NAME condition met} (or {@code deleted}); exits 0 when all hold, 1 with what
 * each object is like now when the timeout passes first. {@code KIND NAME...} works too.
 */
@Command(name = "wait", description = "Wait for a condition on objects: Ready, deleted, or a field's value.",
    footerHeading = "%nExamples:%n",
    footer = {"  ferryctl wait --for=condition=Ready statefulapp/todos-db --timeout 5m",
        "  ferryctl wait --for=delete statefulapp/todos-db",
        "  ferryctl wait --for=jsonpath='{.status.phase}'=Succeeded migration/todos-db-abc12"})
final class WaitCommand extends Verb {

  @Parameters(arity = "1..*", paramLabel = "KIND/NAME", description = "e.g. statefulapp/todos-db, or KIND NAME...")
  List<String> objects;

  @Option(names = "--for", required = true, paramLabel = "CONDITION",
      description = "delete, condition=NAME[=VALUE] (VALUE defaults to True), or jsonpath='{.field}'=VALUE")
  String forWhat;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", description = "how long to wait, e.g. 30s, 5m (default 30s)")
  String timeout;

  private record Target(Kind<?, ?, ?> kind, String name) {}

  @Override
  public Integer call() throws InterruptedException {
    WaitFor condition = WaitFor.parse(forWhat);
    Duration limit = timeout(timeout);
    List<Target> targets = targets();
    FerryClient client = client();
    Instant deadline = Instant.now().plus(limit);
    for (Target target : targets) {
      Optional<JsonNode> now = client.get(target.kind(), target.name());
      if (now.isEmpty() && condition.needsObject()) {
        throw notFound(target.kind(), target.name());
      }
      AtomicReference<Optional<JsonNode>> last = new AtomicReference<>(now);
      boolean met = condition.met(now) || Watching.until(client, err(), target.kind(), target.name(), deadline, state -> {
        last.set(state);
        return condition.met(state);
      });
      String ref = ref(target.kind().name(), target.name());
      if (!met) {
        throw new CliException("error: timed out after " + timeout + " waiting for " + ref + " (" + forWhat + "): "
            + condition.describe(last.get()));
      }
      out().println(ref + (condition instanceof WaitFor.Delete ? " deleted" : " condition met"));
      out().flush();
    }
    return ExitCodes.OK;
  }

  /** {@code KIND/NAME...}, or {@code KIND NAME...}. */
  private List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    if (!objects.get(0).contains("/")) {
      if (objects.size() < 2) {
        throw new CliException("error: say which objects: KIND/NAME, e.g. statefulapp/todos-db, or KIND NAME");
      }
      Kind<?, ?, ?> kind = kind(objects.get(0));
      objects.subList(1, objects.size()).forEach(n -> targets.add(new Target(kind, n)));
      return targets;
    }
    for (String object : objects) {
      int slash = object.indexOf('/');
      if (slash <= 0 || slash == object.length() - 1) {
        throw new CliException("error: '" + object + "' is not KIND/NAME, e.g. statefulapp/todos-db");
      }
      targets.add(new Target(kind(object.substring(0, slash)), object.substring(slash + 1)));
    }
    return targets;
  }

}
