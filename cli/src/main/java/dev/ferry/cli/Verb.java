package dev.ferry.cli;

import dev.ferry.api.model.Durations;
import dev.ferry.api.model.Kind;
import java.time.Duration;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** What every ferryctl command shares: the root's options and streams, kinds by name. */
abstract class Verb implements Callable<Integer> {

  @ParentCommand
  Ferryctl root;

  PrintWriter out() {
    return root.env.out();
  }

  PrintWriter err() {
    return root.env.err();
  }

  FerryClient client() {
    return root.client();
  }

  /** The exit code when this command fails (a usage error or any exception): 1, as kubectl's. */
  int errorExitCode() {
    return ExitCodes.ERROR;
  }

  /** A kind from what a user types: {@code statefulapps}, {@code StatefulApp}, {@code statefulapp}, {@code sa}. */
  static Kind<?, ?, ?> kind(String word) {
    return Kind.find(word).or(() -> ApiResourcesCommand.byShortName(word.toLowerCase(Locale.ROOT))).orElseThrow(() -> new CliException("error: the server doesn't have a resource type \""
        + word + "\": use one of " + String.join(", ", Kind.ALL.stream().map(Kind::plural).toList())));
  }

  /** A {@code --timeout} as the user wrote it: 30s, 5m, 1h. */
  static Duration timeout(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException("error: --timeout: " + e.getMessage());
    }
  }

  /** kubectl's answer for an object that is not there: {@code Error from server (NotFound): statefulapps "x" not found}. */
  static CliException notFound(Kind<?, ?, ?> kind, String name) {
    return new CliException("Error from server (NotFound): " + kind.plural() + " \"" + name + "\" not found");
  }

  /** How kubectl names an object in its output: {@code statefulapp/todos-db}. */
  static String ref(String kindName, String name) {
    return kindName.toLowerCase(Locale.ROOT) + "/" + name;
  }
}
