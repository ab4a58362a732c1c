package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command and subcommand answers {@code --help} with its usage, user-facing parameter
 * names and examples, and exits 0; the list is read from ferryctl's own command tree, so a new
 * command is covered without touching this test. Needs no server.
 */
class HelpTest {

  @TempDir
  static Path home;

  static Stream<String> commands() {
    List<String> paths = new ArrayList<>();
    collect(new CommandLine(new Ferryctl(env(new StringWriter(), new StringWriter()))), "", paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, String prefix, List<String> paths) {
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) {
        paths.add((prefix + " " + name).strip());
        collect(sub, prefix + " " + name, paths);
      }
    });
  }

  static CliEnv env(StringWriter out, StringWriter err) {
    return new CliEnv(Map.of("FERRY_CONFIG", home.resolve("config").toString()), new ByteArrayInputStream(new byte[0]),
        new PrintWriter(out, true), new PrintWriter(err, true), false, home);
  }

  @ParameterizedTest(name = "ferryctl {0} --help")
  @MethodSource("commands")
  void answersHelpWithUsageAndExamples(String command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");

    int exit = Ferryctl.run(env(out, err), args.toArray(String[]::new));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString()).contains("Usage: ferryctl " + command + " ");
    if (!command.equals("help")) {
      assertThat(out.toString()).contains("\nExamples:\n  ferryctl ");
    }
    // Parameter labels are words a user reads (KIND, NAME), not the code's field names (<kindWord>).
    assertThat(out.toString()).doesNotContainPattern("<[a-z]+[A-Z][A-Za-z]*>");
  }

  @Test
  void theTreeHoldsEveryCommandTheReadmeUses() {
    assertThat(commands()).contains("apply", "diff", "get", "describe", "delete", "events", "migrate", "sync", "explain",
        "api-resources", "version", "wait", "completion", "config", "config view", "config set-context", "config use-context");
  }
}
