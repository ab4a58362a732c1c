package dev.ferry.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.api.codec.Manifests;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifests a user could plausibly write wrong, each with the field that {@code ferryctl apply}
 * must name and what it must say.
 */
class InvalidManifestTest {

  static final String APP = """
      apiVersion: ferry/v1
      kind: StatefulApp
      metadata:
        name: todos-db
        labels: {app: todomvc}
      spec:
        app:
          cmd: redis-server
          instances: 1
        dataset: {name: todos-data, size: 1Gi, mountPath: /data}
        placement:
          constraints:
          - [disk, LIKE, spinning]
        migration: {strategy: PreCopy, maxFinalDelta: 64Mi, maxRounds: 10}
      """;

  static final String GIT = """
      apiVersion: ferry/v1
      kind: GitSource
      metadata: {name: config}
      spec: {url: "file:///srv/git/config.git", branch: main, path: apps, interval: 30s}
      """;

  static final String MIGRATION = """
      apiVersion: ferry/v1
      kind: Migration
      metadata: {name: move-1}
      spec: {statefulApp: todos-db, from: node1, to: node2}
      """;

  /** The base app with one piece of text replaced. */
  static String app(String from, String to) {
    assertThat(APP).contains(from);
    return APP.replace(from, to);
  }

  static String git(String from, String to) {
    assertThat(GIT).contains(from);
    return GIT.replace(from, to);
  }

  static Arguments invalid(String manifest, String field, String message) {
    return Arguments.of(manifest, field, message);
  }

  static Stream<Arguments> manifests() {
    return Stream.of(
        // Marathon's constraint rules
        invalid(app("[disk, LIKE, spinning]", "[disk, NEAR, ssd]"), "spec.placement.constraints[0][1]",
            "operator must be one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS"),
        invalid(app("[disk, LIKE, spinning]", "[disk]"), "spec.placement.constraints[0]",
            "Each constraint must have either 2 or 3 fields, this one has 1"),
        invalid(app("[disk, LIKE, spinning]", "[disk, LIKE, ssd, hdd]"), "spec.placement.constraints[0]",
            "Each constraint must have either 2 or 3 fields, this one has 4"),
        invalid(app("[disk, LIKE, spinning]", "[hostname, UNIQUE, node1]"), "spec.placement.constraints[0][2]",
            "UNIQUE does not accept a value"),
        invalid(app("[disk, LIKE, spinning]", "[disk, LIKE]"), "spec.placement.constraints[0][1]",
            "LIKE and UNLIKE require a non-empty, regular expression value"),
        invalid(app("[disk, LIKE, spinning]", "[disk, UNLIKE, 'ssd[']"), "spec.placement.constraints[0][2]",
            "'ssd[' is not a valid regular expression: missing closing ] (patterns are RE2: no backreferences or lookaround)"),
        invalid(app("[disk, LIKE, spinning]", "[rack, MAX_PER, two]"), "spec.placement.constraints[0][2]",
            "MAX_PER requires an integer value"),
        invalid(app("[disk, LIKE, spinning]", "[rack, GROUP_BY, two]"), "spec.placement.constraints[0][2]",
            "GROUP_BY must define an integer value or else no value at all"),
        invalid(app("[disk, LIKE, spinning]", "[disk, IS, 'fast disk']"), "spec.placement.constraints[0][2]",
            "IS only supports Mesos text and float values"),
        invalid(app("[disk, LIKE, spinning]", "[disk, LIKE, 5]"), "spec.placement.constraints[0][2]",
            "must be a string, not an integer"),
        invalid(app("[disk, LIKE, spinning]", "[' ', CLUSTER, a]"), "spec.placement.constraints[0][0]",
            "field must name an agent attribute or hostname"),
        // The Marathon app
        invalid(app("instances: 1", "instances: 2"), "spec.app.instances",
            "must be 0 or 1 while a dataset is attached: a dataset has one writer"),
        invalid(app("instances: 1", "instances: -1"), "spec.app.instances", "must have a minimum value of 0"),
        invalid(app("instances: 1", "constraints: [[hostname, CLUSTER, node1]]"), "spec.app.constraints",
            "Ferry pins the app to its dataset's node: write placement constraints in spec.placement.constraints"),
        invalid(app("instances: 1", "upgradeStrategy: {minimumHealthCapacity: 1}"), "spec.app.upgradeStrategy",
            "Ferry owns the upgrade strategy: it always stops the old task before it starts the new one"),
        invalid(app("instances: 1", "labels: {FERRY_GENERATION: '3'}"), "spec.app.labels.FERRY_GENERATION",
            "labels starting with FERRY_ are Ferry's own"),
        invalid(app("instances: 1", "env: {FERRY_DATASET_PATH: /tmp}"), "spec.app.env.FERRY_DATASET_PATH",
            "env starting with FERRY_ are Ferry's own"),
        invalid(app("instances: 1", "version: '2026-01-01T00:00:00Z'"), "spec.app.version",
            "is written by Marathon: remove it"),
        invalid(app("instances: 1", "id: /Todos"), "spec.app.id",
            "'Todos' is not a valid path segment: use lower-case letters, digits, dashes and dots, not starting or ending with a dash"),
        invalid(app("instances: 1", "id: /db/restart"), "spec.app.id", "must not end in the reserved word 'restart'"),
        invalid(app("instances: 1", "id: /team/../other-db"), "spec.app.id",
            "'..' is not allowed: write the app id out in full, without . or .. segments"),
        invalid(app("instances: 1", "id: ./todos"), "spec.app.id",
            "'.' is not allowed: write the app id out in full, without . or .. segments"),
        invalid(app("instances: 1", "args: [redis-server]"), "spec.app.args",
            "cannot be given together with cmd: use one of them"),
        invalid(app("cmd: redis-server", "mem: 64"), "spec.app",
            "must contain one of 'cmd' or 'args', and/or a 'container'"),
        invalid(app("cmd: redis-server", "container: {type: DOCKER, docker: {image: 'redis:7'}}"), "spec.app",
            "must contain 'cmd' or 'args' while a dataset is attached: Ferry starts the command through "
                + "ferry-task-guard, which cannot run an image's own entrypoint"),
        invalid(app("instances: 1", "comand: redis-server"), "spec.app.comand", "unknown field"),
        invalid(app("instances: 1", "cpus: lots"), "spec.app.cpus", "must be a number, not a string"),
        invalid(app("instances: 1", "healthChecks: {protocol: TCP}"), "spec.app.healthChecks",
            "must be a list, not a mapping"),
        // The object's shape
        invalid(app("  dataset:", "  datset:"), "spec.datset", "unknown field: did you mean 'dataset'?"),
        invalid(app("mountPath: /data", "mountpath: /data"), "spec.dataset.mountpath",
            "unknown field: did you mean 'mountPath'?"),
        invalid(app("instances: 1", "instances: 1\n    cpu: 1"), "spec.app.cpu", "unknown field: did you mean 'cpus'?"),
        invalid(app("labels: {app: todomvc}", "labels: {app: todomvc}\n  lables: {}"), "metadata.lables",
            "unknown field: did you mean 'labels'?"),
        invalid(app("spec:", "specs:"), "spec", "is required"),
        invalid(APP + "status: {phase: Running}\n", "status", "is written by Ferry only: remove it from the manifest"),
        invalid(app("apiVersion: ferry/v1", "apiVersion: ferry/v2"), "apiVersion", "must be ferry/v1"),
        invalid(app("kind: StatefulApp", "kind: Statefulapp"), "kind",
            "'Statefulapp' is not a Ferry kind: must be one of StatefulApp, Node, Dataset, Migration, Event, GitSource"),
        invalid(app("kind: StatefulApp\n", ""), "kind",
            "is required: must be one of StatefulApp, Node, Dataset, Migration, Event, GitSource"),
        // Names and labels
        invalid(app("name: todos-db", "name: Todos_DB"), "metadata.name",
            "'Todos_DB' is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit"),
        invalid(app("name: todos-db", "name: " + "a".repeat(64)), "metadata.name",
            "must be at most 63 characters, is 64"),
        invalid(app("  name: todos-db\n", ""), "metadata.name", "is required"),
        invalid(app("{app: todomvc}", "{-app: todomvc}"), "metadata.labels['-app']",
            "key name '-app' must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit"),
        invalid(app("{app: todomvc}", "{Example.com/app: todomvc}"), "metadata.labels['Example.com/app']",
            "key prefix 'Example.com' must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)"),
        invalid(app("{app: todomvc}", "{app: " + "v".repeat(64) + "}"), "metadata.labels.app",
            "value must be at most 63 characters, is 64"),
        invalid(app("{app: todomvc}", "{app: 'to do'}"), "metadata.labels.app",
            "value 'to do' must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit"),
        // The dataset
        invalid(app("name: todos-data", "name: todos.data"), "spec.dataset.name",
            "'todos.data' is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit"),
        invalid(app("size: 1Gi", "size: 1.5Gi"), "spec.dataset.size",
            "'1.5Gi' is not a quantity: must be a whole number of bytes with an optional suffix Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P or E (e.g. 64Mi, 1Gi, 500M)"),
        invalid(app("size: 1Gi", "size: 0"), "spec.dataset.size", "must be more than 0 bytes"),
        invalid(app("size: 1Gi, ", ""), "spec.dataset.size", "is required"),
        invalid(app("mountPath: /data", "mountPath: data"), "spec.dataset.mountPath", "must be an absolute path, e.g. /data"),
        invalid(app("mountPath: /data", "mountPath: /data/../etc"), "spec.dataset.mountPath",
            "must be normalised: '/data/../etc' should be written '/etc'"),
        invalid(app("mountPath: /data", "mountPath: /data/"), "spec.dataset.mountPath",
            "must be normalised: '/data/' should be written '/data'"),
        invalid(app("mountPath: /data", "mountPath: /"), "spec.dataset.mountPath", "must not be / itself"),
        invalid(app("mountPath: /data}", "mountPath: /data, reclaimPolicy: Keep}"), "spec.dataset.reclaimPolicy",
            "must be one of Retain, Delete"),
        // How it moves
        invalid(app("strategy: PreCopy", "strategy: Live"), "spec.migration.strategy", "must be one of PreCopy, StopAndCopy"),
        invalid(app("maxRounds: 10", "maxRounds: 0"), "spec.migration.maxRounds", "must have a minimum value of 1"),
        invalid(app("maxRounds: 10", "maxRounds: 10, deadlineSeconds: 5"), "spec.migration.deadlineSeconds",
            "must have a minimum value of 30"),
        invalid(app("maxRounds: 10", "maxRounds: 10, deadlineSeconds: 86401"), "spec.migration.deadlineSeconds",
            "must have a maximum value of 86400"),
        invalid(app("maxFinalDelta: 64Mi", "maxFinalDelta: lots"), "spec.migration.maxFinalDelta",
            "'lots' is not a quantity: must be a whole number of bytes with an optional suffix Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P or E (e.g. 64Mi, 1Gi, 500M)"),
        // Other kinds
        invalid(git("interval: 30s", "interval: soon"), "spec.interval",
            "'soon' is not a duration: must be a duration such as 500ms, 30s, 5m, 1h30m or 2d (units d, h, m, s, ms, largest first)"),
        invalid(git("interval: 30s", "interval: 10ms"), "spec.interval", "must be at least 1s"),
        invalid(git("\"file:///srv/git/config.git\"", "not a url"), "spec.url",
            "'not a url' is not a git URL: use file://, http(s)://, ssh://, git:// or user@host:path"),
        invalid(git("path: apps", "path: ../elsewhere"), "spec.path", "must be a folder inside the repository, relative to its top"),
        invalid(git("branch: main", "branch: 'feature..x'"), "spec.branch", "'feature..x' is not a valid branch name"),
        invalid(git("branch: main", "ref: {}"), "spec.ref", "must give one of branch, tag or commit"),
        invalid(git("branch: main", "ref: {branch: main, tag: v1}"), "spec.ref",
            "must give exactly one of branch, tag or commit, not branch and tag"),
        invalid(git("branch: main", "branch: main, ref: {tag: v1}"), "spec.branch",
            "cannot be given together with spec.ref: use spec.ref.branch"),
        invalid(git("branch: main", "ref: {tag: '-v1'}"), "spec.ref.tag", "'-v1' is not a valid tag name"),
        invalid(git("branch: main", "ref: {commit: abc123}"), "spec.ref.commit",
            "'abc123' is not a commit id: give the full 40 hex digits of a SHA-1"),
        invalid(git("branch: main", "ref: {ref: main}"), "spec.ref.ref", "unknown field"),
        invalid(git("branch: main", "branch: main, secretRef: {name: ../etc}"), "spec.secretRef.name",
            "'../etc' is not a DNS-1123 label: use lower-case letters, digits and '-', starting and ending with a letter or digit"),
        invalid(git("branch: main", "branch: main, secretRef: {file: x}"), "spec.secretRef.file", "unknown field"),
        invalid(MIGRATION.replace("to: node2", "to: node1"), "spec.to",
            "must differ from spec.from: a migration moves data to another node"),
        invalid(MIGRATION.replace("statefulApp: todos-db, ", ""), "spec.statefulApp", "is required"),
        invalid("- apiVersion: ferry/v1\n", "", "must be a mapping with apiVersion, kind, metadata and spec"));
  }

  @ParameterizedTest(name = "[{index}] {1}: {2}")
  @MethodSource("manifests")
  void namesTheFieldAndWhatIsWrong(String manifest, String field, String message) {
    ValidationException e = catchThrowableOfType(ValidationException.class, () -> Manifests.read(manifest));

    assertThat(e).as("the manifest is refused").isNotNull();
    assertThat(e.errors()).as(e.getMessage()).contains(new FieldError(field, message));
    assertThat(e.getMessage()).contains(field.isEmpty() ? message : field + ": " + message);
  }

  @Test
  void countsAtLeastFortyCases() {
    assertThat(manifests().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theBaseManifestsAreValid() {
    assertThat(Manifests.read(APP + "---\n" + GIT + "---\n" + MIGRATION)).hasSize(3);
  }

  @Test
  void reportsEveryProblemInOneGo() {
    String manifest = app("name: todos-db", "name: Todos").replace("size: 1Gi", "size: huge")
        .replace("[disk, LIKE, spinning]", "[disk, NEAR, ssd]");

    ValidationException e = catchThrowableOfType(ValidationException.class, () -> Manifests.read(manifest));

    assertThat(e.subject()).isEqualTo("StatefulApp \"Todos\"");
    assertThat(e.errors()).extracting(FieldError::field)
        .containsExactly("metadata.name", "spec.dataset.size", "spec.placement.constraints[0][1]");
  }

  @Test
  void namesTheDocumentOfAMultiDocumentFile() {
    String file = GIT + "---\n" + app("size: 1Gi", "size: 0");

    assertThatThrownBy(() -> Manifests.read(file))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("document 2 (StatefulApp \"todos-db\") is invalid:\n  spec.dataset.size: must be more than 0 bytes");
  }
}
