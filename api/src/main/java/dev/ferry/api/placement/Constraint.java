package dev.ferry.api.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Marathon constraint, {@code [field, OPERATOR, value?]}. {@code field} is {@code hostname}
 * (or {@code @hostname}) for the agent's hostname, otherwise the name of an agent attribute.
 *
 * <p>This is the matching model, not the validator: {@link #parse} only rejects what cannot be
 * matched at all (wrong arity, unknown operator); checks of the value's syntax per operator
 * belong to the manifest and app validators.
 */
public record Constraint(String field, Operator operator, Optional<String> value) {

  public Constraint {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
  }

  /** A constraint with a value, e.g. {@code of("disk", LIKE, "ssd")}. */
  public static Constraint of(String field, Operator operator, String value) {
    return new Constraint(field, operator, Optional.of(value));
  }

  /** A constraint without a value, e.g. {@code of("hostname", UNIQUE)}. */
  public static Constraint of(String field, Operator operator) {
    return new Constraint(field, operator, Optional.empty());
  }

  /**
   * Parses Marathon's wire form.
   *
   * @throws IllegalArgumentException with Marathon's message when the list does not have 2 or 3
   *     fields or names an unknown operator
   */
  public static Constraint parse(List<String> wire) {
    if (wire.size() < 2 || wire.size() > 3) {
      throw new IllegalArgumentException("Each constraint must have either 2 or 3 fields");
    }
    Operator operator = Operator.named(wire.get(1)).orElseThrow(() -> new IllegalArgumentException(
        "Constraint operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS"));
    return new Constraint(wire.get(0), operator,
        wire.size() == 3 ? Optional.of(wire.get(2)) : Optional.empty());
  }

  /** The wire form, {@code [field, OPERATOR]} or {@code [field, OPERATOR, value]}. */
  public List<String> toWire() {
    List<String> wire = new ArrayList<>(List.of(field, operator.name()));
    value.ifPresent(wire::add);
    return List.copyOf(wire);
  }

  /** Whether the field names the agent's hostname rather than an attribute. */
  public boolean onHostname() {
    return field.equals("hostname") || field.equals("@hostname");
  }

  /** The value, or the empty string Marathon treats a missing value as. */
  String valueOrEmpty() {
    return value.orElse("");
  }
}
