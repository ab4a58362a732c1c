package dev.ferry.api.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConstraintMatcherTest {

  static final NodeOffer SPIN_A = NodeOffer.of("node1", Map.of("disk", "spinning", "rack", "a", "cores", "4"));
  static final NodeOffer SSD_A = NodeOffer.of("node2", Map.of("disk", "ssd", "rack", "a"));
  static final NodeOffer SSD_B = NodeOffer.of("node3", Map.of("disk", "ssd", "rack", "b"));
  static final NodeOffer BARE = NodeOffer.of("node4", Map.of());

  static Stream<Arguments> table() {
    return Stream.of(
        // constraint, candidate, already placed, expected
        arguments(List.of("disk", "CLUSTER", "ssd"), SSD_A, List.of(), true),
        arguments(List.of("disk", "CLUSTER", "ssd"), SPIN_A, List.of(), false),
        arguments(List.of("disk", "CLUSTER", "ssd"), BARE, List.of(), false),
        arguments(List.of("rack", "CLUSTER"), SSD_B, List.of(), true),
        arguments(List.of("rack", "CLUSTER"), SSD_B, List.of(SPIN_A), false),
        arguments(List.of("rack", "CLUSTER"), SSD_A, List.of(SPIN_A), true),
        arguments(List.of("hostname", "CLUSTER", "node2"), SSD_A, List.of(), true),
        arguments(List.of("@hostname", "CLUSTER", "node2"), SSD_B, List.of(), false),
        arguments(List.of("disk", "LIKE", "spin.*"), SPIN_A, List.of(), true),
        arguments(List.of("disk", "LIKE", "spin"), SPIN_A, List.of(), false),
        arguments(List.of("disk", "LIKE", "ssd|spinning"), SSD_A, List.of(), true),
        arguments(List.of("disk", "LIKE", ".*"), BARE, List.of(), false),
        arguments(List.of("disk", "UNLIKE", "ssd"), SPIN_A, List.of(), true),
        arguments(List.of("disk", "UNLIKE", "ssd"), SSD_A, List.of(), false),
        arguments(List.of("disk", "UNLIKE", "ssd"), BARE, List.of(), true),
        arguments(List.of("hostname", "LIKE", "node[12]"), SSD_B, List.of(), false),
        arguments(List.of("hostname", "UNIQUE"), SSD_A, List.of(SPIN_A), true),
        arguments(List.of("hostname", "UNIQUE"), SSD_A, List.of(SSD_A), false),
        arguments(List.of("rack", "UNIQUE"), SSD_A, List.of(SPIN_A), false),
        arguments(List.of("rack", "UNIQUE"), SSD_B, List.of(SPIN_A), true),
        arguments(List.of("rack", "UNIQUE"), BARE, List.of(), false),
        arguments(List.of("rack", "MAX_PER", "2"), SSD_A, List.of(SPIN_A), true),
        arguments(List.of("rack", "MAX_PER", "2"), SSD_A, List.of(SPIN_A, SPIN_A), false),
        arguments(List.of("rack", "MAX_PER", "2"), SSD_B, List.of(SPIN_A, SPIN_A), true),
        arguments(List.of("rack", "GROUP_BY"), SSD_B, List.of(SPIN_A), true),
        arguments(List.of("rack", "GROUP_BY"), SSD_A, List.of(SPIN_A), true),
        arguments(List.of("rack", "GROUP_BY"), SSD_A, List.of(SPIN_A, SSD_B), true),
        arguments(List.of("rack", "GROUP_BY"), SSD_A, List.of(SPIN_A, SPIN_A, SSD_B), false),
        arguments(List.of("rack", "GROUP_BY", "2"), SSD_A, List.of(SPIN_A), false),
        arguments(List.of("rack", "GROUP_BY", "2"), SSD_B, List.of(SPIN_A), true),
        arguments(List.of("rack", "GROUP_BY", "2"), SSD_A, List.of(SPIN_A, SSD_B), true),
        arguments(List.of("disk", "IS", "ssd"), SSD_A, List.of(), true),
        arguments(List.of("disk", "IS", "ss"), SSD_A, List.of(), false),
        arguments(List.of("cores", "IS", "4.0"), SPIN_A, List.of(), true),
        arguments(List.of("cores", "IS", "4"), BARE, List.of(), false));
  }

  @ParameterizedTest(name = "{0} on {1} after {2} -> {3}")
  @MethodSource("table")
  void matchesAsMarathonDoes(List<String> wire, NodeOffer node, List<NodeOffer> placed, boolean expected) {
    assertThat(ConstraintMatcher.matches(Constraint.parse(wire), node, placed)).isEqualTo(expected);
  }

  @Test
  void allConstraintsMustHold() {
    List<Constraint> both = List.of(
        Constraint.of("disk", Operator.LIKE, "ssd"), Constraint.of("rack", Operator.IS, "b"));
    assertThat(ConstraintMatcher.matchesAll(both, SSD_B, List.of())).isTrue();
    assertThat(ConstraintMatcher.matchesAll(both, SSD_A, List.of())).isFalse();
    assertThat(ConstraintMatcher.matchesAll(List.of(), BARE, List.of())).isTrue();
  }

  @Test
  void parsesTheWireFormCaseInsensitively() {
    assertThat(Constraint.parse(List.of("disk", "like", "ssd")))
        .isEqualTo(Constraint.of("disk", Operator.LIKE, "ssd"));
    assertThat(Constraint.parse(List.of("hostname", "UNIQUE")).toWire()).containsExactly("hostname", "UNIQUE");
  }

  @Test
  void rejectsWhatCannotBeMatched() {
    assertThatThrownBy(() -> Constraint.parse(List.of("disk")))
        .hasMessage("Each constraint must have either 2 or 3 fields");
    assertThatThrownBy(() -> Constraint.parse(List.of("disk", "NEAR", "x")))
        .hasMessageContaining("operator must be one of");
    assertThatThrownBy(() -> ConstraintMatcher.matches(
        Constraint.of("rack", Operator.MAX_PER, "many"), SSD_A, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aBacktrackingPatternAgainstALongValueTakesLinearTime() {
    // (.*a){20}c against 40 a's: java.util.regex tries every way to cut the a's into 20 pieces
    // (already 3 s for {12} and 26 a's); RE2 reads the value once.
    NodeOffer node = NodeOffer.of("node9", Map.of("disk", "a".repeat(40)));

    long started = System.nanoTime();
    boolean like = ConstraintMatcher.matches(Constraint.of("disk", Operator.LIKE, "(.*a){20}c"), node, List.of());
    boolean unlike = ConstraintMatcher.matches(Constraint.of("disk", Operator.UNLIKE, "(.*a){20}c"), node, List.of());

    assertThat(like).isFalse();
    assertThat(unlike).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aPatternRe2CannotRunIsRefusedAsInvalid() {
    assertThatThrownBy(() -> ConstraintMatcher.matches(Constraint.of("disk", Operator.LIKE, "(ssd)\\1"), SSD_A, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid regular expression");
  }
}
