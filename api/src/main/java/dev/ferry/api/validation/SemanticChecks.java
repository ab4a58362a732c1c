package dev.ferry.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.marathon.AppSecretRefs;
import dev.ferry.api.model.Durations;
import dev.ferry.api.model.GitSourceSpec;
import dev.ferry.api.model.GitUrls;
import dev.ferry.api.model.Kind;
import dev.ferry.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a JSON Schema cannot express: names, labels, Marathon's constraint and app-id rules,
 * quantities and durations, one writer per dataset, normalised paths. Every check reads the
 * tree defensively: a field of the wrong type was already reported by the schema.
 */
final class SemanticChecks {

  private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
  private static final Pattern GIT_URL = Pattern.compile("(file|https?|ssh|git)://.+|[^\\s:/]+@[^\\s:]+:.+");
  private static final Pattern GIT_BRANCH = Pattern.compile("[A-Za-z0-9._/-]+");
  private static final Pattern GIT_COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final FieldPath APP = SPEC.child("app");

  private SemanticChecks() {}

  /** Fields of a user's Marathon app that Ferry writes itself, with what to do instead. */
  static List<FieldError> ownedFields(Kind<?, ?, ?> kind, JsonNode tree) {
    List<FieldError> errors = new ArrayList<>();
    if (kind != Kind.STATEFUL_APP) {
      return errors;
    }
    JsonNode app = tree.path("spec").path("app");
    if (app.has("constraints")) {
      errors.add(FieldError.at(APP.child("constraints"),
          "Ferry pins the app to its dataset's node: write placement constraints in spec.placement.constraints"));
    }
    if (app.has("upgradeStrategy")) {
      errors.add(FieldError.at(APP.child("upgradeStrategy"),
          "Ferry owns the upgrade strategy: it always stops the old task before it starts the new one"));
    }
    for (String field : List.of("version", "versionInfo")) {
      if (app.has(field)) {
        errors.add(FieldError.at(APP.child(field), "is written by Marathon: remove it"));
      }
    }
    for (String map : List.of("labels", "env")) {
      app.path(map).fieldNames().forEachRemaining(key -> {
        if (key.startsWith("FERRY_")) {
          errors.add(FieldError.at(APP.child(map).child(key), map + " starting with FERRY_ are Ferry's own"));
        }
      });
    }
    return errors;
  }

  static List<FieldError> check(Kind<?, ?, ?> kind, JsonNode tree) {
    List<FieldError> errors = new ArrayList<>(metadata(tree.path("metadata")));
    JsonNode spec = tree.path("spec");
    switch (kind.name()) {
      case "StatefulApp" -> statefulApp(spec, errors);
      case "Dataset" -> dataset(spec, errors);
      case "Migration" -> migration(spec, errors);
      case "GitSource" -> gitSource(spec, errors);
      case "Node" -> node(spec, errors);
      default -> { }
    }
    return errors;
  }

  private static List<FieldError> metadata(JsonNode metadata) {
    List<FieldError> errors = new ArrayList<>();
    FieldPath at = FieldPath.of("metadata");
    text(metadata, "name").ifPresent(name ->
        Names.checkDnsLabel(name).ifPresent(m -> errors.add(FieldError.at(at.child("name"), m))));
    metadata.path("labels").properties().forEach(e -> {
      FieldPath label = at.child("labels").child(e.getKey());
      Names.checkLabelKey(e.getKey()).ifPresent(m -> errors.add(FieldError.at(label, m)));
      if (e.getValue().isTextual()) {
        Names.checkLabelValue(e.getValue().asText()).ifPresent(m -> errors.add(FieldError.at(label, m)));
      }
    });
    long annotationBytes = 0;
    for (var e : metadata.path("annotations").properties()) {
      FieldPath annotation = at.child("annotations").child(e.getKey());
      Names.checkLabelKey(e.getKey()).ifPresent(m -> errors.add(FieldError.at(annotation, m)));
      annotationBytes += e.getKey().length() + e.getValue().asText().length();
    }
    if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
      errors.add(FieldError.at(at.child("annotations"), "must hold at most 256KiB in all, holds " + annotationBytes + " bytes"));
    }
    return errors;
  }

  private static void statefulApp(JsonNode spec, List<FieldError> errors) {
    JsonNode app = spec.path("app");
    boolean hasDataset = spec.path("dataset").isObject();
    text(app, "id").ifPresent(id -> MarathonRules.checkAppId(id)
        .forEach(m -> errors.add(FieldError.at(APP.child("id"), m))));
    if (app.has("cmd") && app.has("args")) {
      errors.add(FieldError.at(APP.child("args"), "cannot be given together with cmd: use one of them"));
    }
    if (app.isObject() && !app.has("cmd") && !app.has("args") && !app.has("container")) {
      errors.add(FieldError.at(APP, "must contain one of 'cmd' or 'args', and/or a 'container'"));
    }
    if (hasDataset && app.isObject() && !app.has("cmd") && !app.has("args") && app.has("container")) {
      // The task starts through ferry-task-guard, which checks the dataset before it execs the
      // command it is given: an image's own entrypoint cannot be wrapped, so it is not allowed.
      errors.add(FieldError.at(APP, "must contain 'cmd' or 'args' while a dataset is attached: Ferry starts the "
          + "command through ferry-task-guard, which cannot run an image's own entrypoint"));
    }
    if (hasDataset && app.path("instances").isIntegralNumber() && app.path("instances").asLong() > 1) {
      errors.add(FieldError.at(APP.child("instances"),
          "must be 0 or 1 while a dataset is attached: a dataset has one writer"));
    }
    JsonNode dataset = spec.path("dataset");
    optionalDnsLabel(dataset, "name", SPEC.child("dataset"), errors);
    positiveQuantity(dataset, "size", SPEC.child("dataset"), errors);
    text(dataset, "mountPath").ifPresent(p -> checkMountPath(p)
        .ifPresent(m -> errors.add(FieldError.at(SPEC.child("dataset").child("mountPath"), m))));
    JsonNode constraints = spec.path("placement").path("constraints");
    FieldPath constraintsAt = SPEC.child("placement").child("constraints");
    // A mapping here has no constraints to check: the schema reports its type.
    for (int i = 0; constraints.isArray() && i < constraints.size(); i++) {
      List<String> c = strings(constraints.get(i));
      if (c.size() == constraints.get(i).size()) {
        errors.addAll(MarathonRules.checkConstraint(c, constraintsAt.index(i)));
      }
    }
    positiveQuantity(spec.path("migration"), "maxFinalDelta", SPEC.child("migration"), errors);
    appSecrets(app, errors);
  }

  /**
   * Secret references ({@link AppSecretRefs}): every {@code {"secret": NAME}} in {@code env} names
   * a secret that {@code secrets} declares, and every declared source is a name the controller
   * can look up in its secrets directory (never a path out of it).
   */
  private static void appSecrets(JsonNode app, List<FieldError> errors) {
    JsonNode secrets = app.path("secrets");
    AppSecretRefs.envReferences(app).forEach((variable, secret) -> {
      if (!secrets.path(secret).isObject()) {
        errors.add(FieldError.at(APP.child("env").child(variable).child("secret"), "names secret '" + secret
            + "', which spec.app.secrets does not declare: add \"secrets\": {\"" + secret
            + "\": {\"source\": \"NAME/KEY\"}}"));
      }
    });
    secrets.properties().forEach(e -> text(e.getValue(), "source").ifPresent(source -> AppSecretRefs.checkSource(source)
        .ifPresent(m -> errors.add(FieldError.at(APP.child("secrets").child(e.getKey()).child("source"), m)))));
  }

  private static void dataset(JsonNode spec, List<FieldError> errors) {
    positiveQuantity(spec, "size", SPEC, errors);
    optionalDnsLabel(spec, "primary", SPEC, errors);
    optionalDnsLabel(spec, "migration", SPEC, errors);
  }

  private static void migration(JsonNode spec, List<FieldError> errors) {
    optionalDnsLabel(spec, "dataset", SPEC, errors);
    optionalDnsLabel(spec, "from", SPEC, errors);
    optionalDnsLabel(spec, "to", SPEC, errors);
    if (!spec.path("from").asText("").isEmpty() && spec.path("from").asText().equals(spec.path("to").asText())) {
      errors.add(FieldError.at(SPEC.child("to"), "must differ from spec.from: a migration moves data to another node"));
    }
    positiveQuantity(spec, "maxFinalDelta", SPEC, errors);
  }

  private static void gitSource(JsonNode spec, List<FieldError> errors) {
    text(spec, "url").ifPresent(u -> {
      Optional<String> credentials = GitUrls.credentialProblem(u);
      if (credentials.isPresent()) {
        errors.add(FieldError.at(SPEC.child("url"), credentials.get()));
      } else if (!GIT_URL.matcher(u).matches()) {
        errors.add(FieldError.at(SPEC.child("url"),
            "'" + u + "' is not a git URL: use file://, http(s)://, ssh://, git:// or user@host:path"));
      }
    });
    refName(spec, "branch", SPEC.child("branch"), "branch", errors);
    gitRef(spec, errors);
    text(spec.path("secretRef"), "name").ifPresent(n -> Names.checkDnsLabel(n)
        .ifPresent(m -> errors.add(FieldError.at(SPEC.child("secretRef").child("name"), m))));
    text(spec, "path").ifPresent(p -> {
      if (p.startsWith("/") || Path.of(p).normalize().startsWith("..")) {
        errors.add(FieldError.at(SPEC.child("path"), "must be a folder inside the repository, relative to its top"));
      }
    });
    text(spec, "interval").ifPresent(i -> {
      try {
        Duration interval = Durations.parse(i);
        if (interval.compareTo(GitSourceSpec.MIN_INTERVAL) < 0) {
          errors.add(FieldError.at(SPEC.child("interval"), "must be at least 1s"));
        } else if (interval.compareTo(GitSourceSpec.MAX_INTERVAL) > 0) {
          errors.add(FieldError.at(SPEC.child("interval"), "must be at most 24h (a longer wait is no sync;"
              + " ask for one with ferryctl or a webhook instead)"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(FieldError.at(SPEC.child("interval"), e.getMessage()));
      }
    });
  }

  /** {@code spec.ref}: exactly one of branch, tag or commit, and not beside {@code spec.branch}. */
  private static void gitRef(JsonNode spec, List<FieldError> errors) {
    JsonNode ref = spec.path("ref");
    if (!ref.isObject()) {
      return;
    }
    FieldPath at = SPEC.child("ref");
    if (spec.has("branch")) {
      errors.add(FieldError.at(SPEC.child("branch"), "cannot be given together with spec.ref: use spec.ref.branch"));
    }
    List<String> given = List.of("branch", "tag", "commit").stream().filter(ref::has).toList();
    if (given.size() != 1) {
      errors.add(FieldError.at(at, given.isEmpty() ? "must give one of branch, tag or commit"
          : "must give exactly one of branch, tag or commit, not " + String.join(" and ", given)));
    }
    refName(ref, "branch", at.child("branch"), "branch", errors);
    refName(ref, "tag", at.child("tag"), "tag", errors);
    text(ref, "commit").filter(c -> !GIT_COMMIT.matcher(c).matches()).ifPresent(c -> errors.add(FieldError.at(
        at.child("commit"), "'" + c + "' is not a commit id: give the full 40 hex digits of a SHA-1")));
  }

  /** A branch or tag name git accepts (a subset of git check-ref-format, refusing what could be an option). */
  private static void refName(JsonNode node, String field, FieldPath at, String what, List<FieldError> errors) {
    text(node, field).filter(b -> !GIT_BRANCH.matcher(b).matches() || b.contains("..") || b.startsWith("-")
        || b.endsWith("/") || b.endsWith(".lock")).ifPresent(b -> errors.add(FieldError.at(at,
        "'" + b + "' is not a valid " + what + " name")));
  }

  private static void node(JsonNode spec, List<FieldError> errors) {
    spec.path("attributes").properties().forEach(e -> {
      FieldPath at = SPEC.child("attributes").child(e.getKey());
      if (!ATTRIBUTE_NAME.matcher(e.getKey()).matches()) {
        errors.add(FieldError.at(at, "attribute names use letters, digits, '_', '.' and '-'"));
      } else if (e.getValue().asText().matches(".*[;:].*")) {
        errors.add(FieldError.at(at, "attribute values cannot hold ';' or ':' (Mesos separators)"));
      }
    });
  }

  /** An absolute, normalised path that is not the root: where a container sees its data. */
  static Optional<String> checkMountPath(String path) {
    if (!path.startsWith("/")) {
      return Optional.of("must be an absolute path, e.g. /data");
    }
    if (path.equals("/")) {
      return Optional.of("must not be / itself");
    }
    String normal = Path.of(path).normalize().toString();
    if (!normal.equals(path) || path.contains("/./") || path.endsWith("/.")) {
      return Optional.of("must be normalised: '" + path + "' should be written '" + normal + "'");
    }
    return Optional.empty();
  }

  private static void positiveQuantity(JsonNode parent, String field, FieldPath at, List<FieldError> errors) {
    JsonNode value = parent.path(field);
    if (!value.isTextual() && !value.isIntegralNumber()) {
      return;
    }
    try {
      if (Quantity.parse(value.asText()).bytes() == 0) {
        errors.add(FieldError.at(at.child(field), "must be more than 0 bytes"));
      }
    } catch (IllegalArgumentException e) {
      errors.add(FieldError.at(at.child(field), e.getMessage()));
    }
  }

  private static void optionalDnsLabel(JsonNode parent, String field, FieldPath at, List<FieldError> errors) {
    text(parent, field).filter(s -> !s.isEmpty()).ifPresent(s ->
        Names.checkDnsLabel(s).ifPresent(m -> errors.add(FieldError.at(at.child(field), m))));
  }

  private static Optional<String> text(JsonNode parent, String field) {
    JsonNode n = parent.path(field);
    return n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> {
      if (n.isTextual()) {
        out.add(n.asText());
      }
    });
    return out;
  }
}
