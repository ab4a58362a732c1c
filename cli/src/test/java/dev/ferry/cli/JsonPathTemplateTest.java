package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.codec.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubectl's JSONPath templates over a list of two apps, as {@code -o jsonpath} prints them. */
class JsonPathTemplateTest {

  static final JsonNode LIST = read("""
      {"kind": "List", "items": [
        {"metadata": {"name": "db", "labels": {"app.kubernetes.io/name": "todo"}},
         "status": {"node": "node1", "conditions": [{"type": "Scheduled", "status": "True"}, {"type": "Ready", "status": "False"}]}},
        {"metadata": {"name": "web"}, "spec": {"ports": [80, 443]},
         "status": {"node": "node2", "conditions": [{"type": "Ready", "status": "True"}]}}]}
      """);

  static JsonNode read(String json) {
    try {
      return Json.json().readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{.kind}                                                     | List",
      "{.items[*].metadata.name}                                   | db web",
      "{.items[1].spec.ports}                                      | [80,443]",
      "{.items[1].spec.ports[0]}                                   | 80",
      "{.items[0].status.conditions[?(@.type==\"Ready\")].status}  | False",
      "`{range .items[*]}{.metadata.name}={.status.node}{\"\\n\"}{end}` | `db=node1\nweb=node2\n`",
      "names: {.items[*].metadata.name}!                           | names: db web!",
      "{.items[0].spec.missing}                                    | ``",
      "{$.items[0].metadata.name}                                  | db",
      "{.items[0].metadata.labels['app.kubernetes.io/name']}       | todo",
  })
  void rendersAsKubectl(String template, String expected) {
    assertThat(JsonPathTemplate.parse(template, "-o jsonpath").render(LIST)).isEqualTo(expected.replace("\\n", "\n"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{.items[*.name}       | -o jsonpath: '{.items[*.name}' is not a JSONPath template",
      "{.kind                | a '{' at position 0 is never closed",
      "{range .items[*]}{.a} | {range ...} without an {end}",
      "{.a}{end}             | {end} without a {range ...} before it",
      "{}                    | an empty {}",
      "{kind}                | 'kind' does not start with '.', e.g. {.metadata.name}",
  })
  void refusesWhatIsNotATemplateNamingTheFlag(String template, String message) {
    assertThatThrownBy(() -> JsonPathTemplate.parse(template, "-o jsonpath"))
        .isInstanceOf(CliException.class).hasMessageContaining(message);
  }
}
