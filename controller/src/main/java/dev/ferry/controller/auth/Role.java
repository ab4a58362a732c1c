package dev.ferry.controller.auth;

import dev.ferry.api.model.Kind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do. Each role includes the ones below it: {@link #METRICS} only scrapes
 * {@code /metrics} (Prometheus' credential: it reads no object); {@link #VIEW} reads (get, list,
 * watch, version, metrics); {@link #EDIT} also writes the kinds users write (StatefulApps,
 * Datasets, Migrations, GitSources) and triggers syncs; {@link #ADMIN} writes everything,
 * Nodes and Events included.
 */
public enum Role {
  METRICS,
  VIEW,
  EDIT,
  ADMIN;

  /** Whether this role includes {@code required}. */
  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }

  /** The role needed to create, change or delete objects of {@code kind}. */
  public static Role toWrite(Kind<?, ?, ?> kind) {
    return kind.userWritable() ? EDIT : ADMIN;
  }

  public static Optional<Role> parse(String text) {
    return Arrays.stream(values()).filter(r -> r.word().equals(text)).findFirst();
  }

  /** As written in the tokens file: admin, edit, view, metrics. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
