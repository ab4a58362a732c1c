package dev.ferry.api.placement;

import java.util.Locale;
import java.util.Optional;

/** Marathon's constraint operators ({@code docs/docs/constraints.md}). */
public enum Operator {
  UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS;

  /** The operator named {@code name}, case-insensitively, as Marathon upper-cases it before lookup. */
  public static Optional<Operator> named(String name) {
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }
}
