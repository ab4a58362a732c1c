package dev.ferry.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

  private static final Map<String, String> LABELS =
      Map.of("app", "todomvc", "tier", "db", "ferry.dev/owner", "git");

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                 | true
      app=todomvc                        | true
      app==todomvc                       | true
      app=other                          | false
      app!=other                         | true
      app!=todomvc                       | false
      missing!=x                         | true
      tier in (db,cache)                 | true
      tier in (web)                      | false
      tier notin (web, cache)            | true
      tier notin (db)                    | false
      missing notin (x)                  | true
      missing in (x)                     | false
      app                                | true
      missing                            | false
      !missing                           | true
      !app                               | false
      ferry.dev/owner=git                | true
      app=todomvc,tier in (db),!missing  | true
      app=todomvc,tier in (web)          | false
      ' app = todomvc , tier '           | true
      """)
  void matchesLabelsAsKubernetesDoes(String selector, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', textBlock = """
      app=todo mvc       | todo mvc
      a,,b               | empty requirement
      tier in ()         | at least one value
      -app=x             | label key "-app"
      app=x_             | label value "x_"
      Bad_Prefix/app=x   | prefix "Bad_Prefix"
      app in (a,b!)      | label value "b!"
      '!'                | label key ""
      """)
  void rejectsBadSelectorsNamingTheBadPart(String selector, String named) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LabelSelector.parse(selector))
        .withMessageContaining("invalid label selector")
        .withMessageContaining(named);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', textBlock = """
      app=todomvc                        | app=todomvc
      app==todomvc                       | app=todomvc
      tier in (db, cache),!h,g,x!=y      | tier in (cache,db),!h,g,x!=y
      f notin (z)                        | f notin (z)
      """)
  void printsInTheSyntaxItReads(String selector, String printed) {
    LabelSelector parsed = LabelSelector.parse(selector);
    assertThat(parsed).hasToString(printed);
    assertThat(LabelSelector.parse(parsed.toString())).isEqualTo(parsed);
  }

  @org.junit.jupiter.api.Test
  void equalitiesFromAMapMatchThatMap() {
    assertThat(LabelSelector.of(Map.of("app", "todomvc", "tier", "db")).matches(LABELS)).isTrue();
    assertThat(LabelSelector.of(Map.of("app", "x")).matches(LABELS)).isFalse();
    assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
  }
}
