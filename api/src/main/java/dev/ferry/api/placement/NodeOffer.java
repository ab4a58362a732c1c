package dev.ferry.api.placement;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What constraint matching sees of a node (a Mesos agent offer): its hostname and its text or
 * scalar attributes, e.g. {@code disk -> ssd}. Scalars are given in their text form.
 */
public record NodeOffer(String hostname, Map<String, String> attributes) {

  public NodeOffer {
    Objects.requireNonNull(hostname, "hostname");
    attributes = Map.copyOf(attributes);
  }

  public static NodeOffer of(String hostname, Map<String, String> attributes) {
    return new NodeOffer(hostname, attributes);
  }

  /** The value a constraint on {@code field} reads: the hostname or the attribute, if present. */
  public Optional<String> valueOf(Constraint constraint) {
    return constraint.onHostname()
        ? Optional.of(hostname)
        : Optional.ofNullable(attributes.get(constraint.field()));
  }
}
