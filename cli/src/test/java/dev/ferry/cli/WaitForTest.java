package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code wait --for} as kubectl reads it, against one app: met or not, and how it stands. */
class WaitForTest {

  static final JsonNode APP = JsonPathTemplateTest.read("""
      {"metadata": {"name": "db"}, "status": {"phase": "Running",
       "conditions": [{"type": "Ready", "status": "False", "reason": "Starting", "message": "task staging"}]}}
      """);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "condition=Ready                   | false | condition Ready is False (Starting): task staging",
      "condition=ready=false             | true  | condition ready is False (Starting): task staging",
      "condition=Scheduled               | false | it has no condition Scheduled",
      "jsonpath={.status.phase}=Running  | true  | {.status.phase} is \"Running\"",
      "jsonpath='{.status.phase}'=Failed | false | {.status.phase} is \"Running\"",
      "jsonpath={.status.phase}          | true  | {.status.phase} is \"Running\"",
      "jsonpath={.status.node}           | false | {.status.node} is \"\"",
      "delete                            | false | it still exists",
  })
  void isMetOrSaysHowItStands(String forWhat, boolean met, String describe) {
    WaitFor condition = WaitFor.parse(forWhat);

    assertThat(condition.met(Optional.of(APP))).isEqualTo(met);
    assertThat(condition.describe(Optional.of(APP))).isEqualTo(describe);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "delete                 | true  | it is gone",
      "condition=Ready        | false | it does not exist",
      "jsonpath={.a}=b        | false | it does not exist",
  })
  void anObjectThatIsGone(String forWhat, boolean met, String describe) {
    WaitFor condition = WaitFor.parse(forWhat);

    assertThat(condition.met(Optional.empty())).isEqualTo(met);
    assertThat(condition.describe(Optional.empty())).isEqualTo(describe);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "ready                        | error: --for: 'ready' is not something to wait for: use delete, condition=NAME[=VALUE] or jsonpath='{.field}'=VALUE",
      "condition=                   | 'condition=' is not something to wait for",
      "condition=Ready=True=x       | 'condition=Ready=True=x' is not something to wait for",
      "jsonpath=.status.phase=x     | the JSONPath goes in braces",
      "jsonpath={.status.phase}=    | 'jsonpath={.status.phase}=' is not something to wait for",
      "jsonpath={.items[*.name}=x   | --for=jsonpath: '{.items[*.name}' is not a JSONPath template",
  })
  void refusesWhatItCannotWaitFor(String forWhat, String message) {
    assertThatThrownBy(() -> WaitFor.parse(forWhat)).isInstanceOf(CliException.class).hasMessageContaining(message);
  }
}
