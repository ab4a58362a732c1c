package dev.ferry.cli;

import static dev.ferry.cli.FerryctlTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code get -o jsonpath=} and {@code -o custom-columns=} as kubectl's, and {@code completion} in a real bash. */
class OutputFormatsTest extends CliTestCase {

  @Test
  void jsonpathAndCustomColumnsPrintTheFieldsAsked() throws Exception {
    ferry.run("apply", "-f", write("formats/a.yaml", TestManifests.redisApp("fmt-a", "{fmt: x}", "ssd")).toString());
    ferry.run("apply", "-f", write("formats/b.yaml", TestManifests.redisApp("fmt-b", "{fmt: x}", "spinning")).toString());

    CliFixture.Run names = ferry.run("get", "statefulapps", "-l", "fmt=x", "-o", "jsonpath={.items[*].metadata.name}");
    CliFixture.Run one = ferry.run("get", "statefulapp", "fmt-b", "-o", "jsonpath='{.spec.dataset.name}'");
    CliFixture.Run ranged = ferry.run("get", "statefulapps", "-l", "fmt=x", "-o",
        "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.placement.constraints[0][2]}{\"\\n\"}{end}");
    CliFixture.Run columns = ferry.run("get", "statefulapps", "-l", "fmt=x", "-o",
        "custom-columns=NAME:.metadata.name,DISK:.spec.placement.constraints[0][2],NODE:.status.node");

    assertThat(names.out()).isEqualTo("fmt-a fmt-b");
    assertThat(one.out()).isEqualTo("fmt-b-data");
    assertThat(ranged.out()).isEqualTo("fmt-a\tssd\nfmt-b\tspinning\n");
    assertThat(columns.out()).isEqualTo("""
        NAME    DISK       NODE
        fmt-a   ssd        <none>
        fmt-b   spinning   <none>
        """);
  }

  @Test
  void badFormatsAreRefusedNamingWhatIsWrong() {
    CliFixture.Run template = ferry.run("get", "statefulapps", "-o", "jsonpath={.items[*.name}");
    CliFixture.Run column = ferry.run("get", "statefulapps", "-o", "custom-columns=NAME");
    CliFixture.Run empty = ferry.run("get", "statefulapps", "-o", "jsonpath=");
    CliFixture.Run unknown = ferry.run("get", "statefulapps", "-o", "table");

    assertThat(template.exit()).isEqualTo(1);
    assertThat(template.err()).startsWith("error: -o jsonpath: '{.items[*.name}' is not a JSONPath template");
    assertThat(column.err()).isEqualTo("error: -o custom-columns: 'NAME' is not HEADER:FIELD, e.g. NAME:.metadata.name,PHASE:.status.phase\n");
    assertThat(empty.err()).startsWith("error: output format 'jsonpath=': jsonpath needs a value, e.g. jsonpath='{.metadata.name}'");
    assertThat(unknown.err()).isEqualTo("error: unknown output format 'table': use yaml, json, wide, name,"
        + " jsonpath=TEMPLATE or custom-columns=HEADER:FIELD,...\n");
  }

  @Test
  void completionCompletesCommandsAndOptionsInBash() throws Exception {
    CliFixture.Run bash = ferry.run("completion", "bash");
    CliFixture.Run zsh = ferry.run("completion", "zsh");
    CliFixture.Run fish = ferry.run("completion", "fish");
    Path script = temp.resolve("ferryctl-completion.bash");
    Files.writeString(script, bash.out(), StandardCharsets.UTF_8);

    // What bash does on Tab: the words so far in COMP_WORDS, then the completion function.
    String complete = """
        source "$1"
        COMP_WORDS=(ferryctl wa); COMP_CWORD=1; _complete_ferryctl ferryctl wa ferryctl; echo "${COMPREPLY[*]}"
        COMP_WORDS=(ferryctl wait --f); COMP_CWORD=2; _complete_ferryctl ferryctl --f wait; echo "${COMPREPLY[*]}"
        complete -p ferryctl
        """;
    Process shell = new ProcessBuilder("bash", "-c", complete, "bash", script.toString()).redirectErrorStream(false).start();
    String completed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(bash.exit()).as(bash.err()).isZero();
    assertThat(completed).isEqualTo("wait\n--for\ncomplete -o default -F _complete_ferryctl ferryctl\n");
    assertThat(zsh.exit()).isZero();
    assertThat(zsh.out()).contains("ZSH_VERSION", "bashcompinit", "_complete_ferryctl");
    assertThat(fish.exit()).isEqualTo(1);
    assertThat(fish.err()).contains("Invalid value for positional parameter at index 0 (SHELL): expected one of [bash, zsh]");
  }
}
