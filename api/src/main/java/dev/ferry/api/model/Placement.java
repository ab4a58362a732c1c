package dev.ferry.api.model;

import java.util.List;

/**
 * Where an app may run: Marathon constraints ({@code [field, OPERATOR, value?]}) over the Mesos
 * agents' hostname and attributes.
 */
public record Placement(List<List<String>> constraints) {

  public static final Placement ANYWHERE = new Placement(List.of());

  public Placement {
    constraints = constraints == null ? List.of() : constraints.stream().map(List::copyOf).toList();
  }
}
