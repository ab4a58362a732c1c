package dev.ferry.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Manifests that Ferry must refuse, whoever sends them (the API, ferryctl, a GitOps
 * repository): malformed YAML, wrong types, unknown fields, names that try to escape, YAML
 * bombs, oversized documents, bad regular expressions, status written by a user. Each case says
 * what the refusal must mention: the field's path, or for unreadable input, what is wrong.
 */
public final class HostileManifests {

  /**
   * One hostile manifest.
   *
   * @param name what it tries, for test names
   * @param manifest the text
   * @param mentions what the error must name (a field path, or a word for unreadable input)
   * @param oversized larger than an API request may be (the API answers 413 before reading it)
   * @param oneRequest hostile only as the body of one API request, which holds exactly one
   *     object (a file with two documents, or none, is fine for ferryctl)
   */
  public record Case(String name, String manifest, String mentions, boolean oversized, boolean oneRequest) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static final String APP = """
      apiVersion: ferry/v1
      kind: StatefulApp
      metadata:
        name: target
        labels: {app: todomvc}
      spec:
        app:
          cmd: redis-server
          instances: 1
        dataset: {name: target-data, size: 1Gi, mountPath: /data}
        placement:
          constraints:
          - [disk, LIKE, spinning]
        migration: {strategy: PreCopy, maxFinalDelta: 64Mi, maxRounds: 10}
      """;

  public static final String GIT = """
      apiVersion: ferry/v1
      kind: GitSource
      metadata: {name: target}
      spec: {url: "file:///srv/git/config.git", branch: main, path: apps, interval: 30s}
      """;

  public static final String MIGRATION = """
      apiVersion: ferry/v1
      kind: Migration
      metadata: {name: target}
      spec: {statefulApp: todos-db, from: node1, to: node2}
      """;

  public static final String DATASET = """
      apiVersion: ferry/v1
      kind: Dataset
      metadata: {name: target}
      spec: {size: 1Gi}
      """;

  private HostileManifests() {}

  public static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    syntax(cases);
    shape(cases);
    names(cases);
    metadata(cases);
    app(cases);
    dataset(cases);
    placement(cases);
    otherKinds(cases);
    return cases;
  }

  /**
   * A YAML bomb of {@code anchors} anchors under {@code spec}, each a list of {@code width}
   * aliases of the one before: few aliases, {@code width^anchors} nodes once expanded.
   */
  public static String aliasBomb(int anchors, int width) {
    StringBuilder yaml = new StringBuilder("apiVersion: ferry/v1\nkind: StatefulApp\nmetadata: {name: target}\nspec:\n");
    yaml.append("  a0: &a0 [").append(String.join(",", java.util.Collections.nCopies(width, "x"))).append("]\n");
    for (int i = 1; i < anchors; i++) {
      yaml.append("  a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(",", java.util.Collections.nCopies(width, "*a" + (i - 1)))).append("]\n");
    }
    return yaml.toString();
  }

  private static void add(List<Case> cases, String name, String manifest, String mentions) {
    cases.add(new Case(name, manifest, mentions, false, false));
  }

  private static String app(String from, String to) {
    if (!APP.contains(from)) {
      throw new IllegalArgumentException("the base app has no '" + from + "'");
    }
    return APP.replace(from, to);
  }

  private static String git(String from, String to) {
    if (!GIT.contains(from)) {
      throw new IllegalArgumentException("the base GitSource has no '" + from + "'");
    }
    return GIT.replace(from, to);
  }

  private static void syntax(List<Case> c) {
    add(c, "unclosed flow mapping", app("{app: todomvc}", "{app: todomvc"), "document 1");
    add(c, "unclosed flow sequence", app("[disk, LIKE, spinning]", "[disk, LIKE, spinning"), "document 1");
    add(c, "tab indentation", app("  name: target", "\tname: target"), "document 1");
    add(c, "duplicate key", app("  name: target", "  name: target\n  name: other"), "name");
    add(c, "duplicate top-level key", APP + "kind: StatefulApp\n", "kind");
    add(c, "billion laughs", """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: target}
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        spec: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        """, "alias");
    add(c, "sixteen anchors of three aliases each (48 aliases, 3^17 nodes)", aliasBomb(17, 3), "expands to more than 100000 nodes");
    add(c, "deep nesting", "apiVersion: ferry/v1\nkind: StatefulApp\nmetadata: {name: target}\nspec: "
        + "[".repeat(200) + "]".repeat(200) + "\n", "deep");
    add(c, "python object tag", app("cmd: redis-server", "cmd: !!python/object/apply:os.system [id]"), "tag");
    add(c, "java object tag", app("cmd: redis-server", "cmd: !!javax.script.ScriptEngineManager [x]"), "tag");
    add(c, "custom local tag", app("size: 1Gi", "size: !bytes 1Gi"), "tag");
    add(c, "a list at the top", "- apiVersion: ferry/v1\n  kind: StatefulApp\n", "must be a mapping");
    add(c, "a scalar at the top", "just some text\n", "must be a mapping");
    c.add(new Case("two documents for one object", APP + "---\n" + APP, "exactly one document", false, true));
    c.add(new Case("no document at all", "# nothing here\n", "exactly one document", false, true));
    add(c, "JSON without metadata or spec", "{\"apiVersion\": \"ferry/v1\", \"kind\": \"StatefulApp\",}", "metadata");
    add(c, "unterminated quoted string", app("cmd: redis-server", "cmd: \"redis-server"), "document 1");
    add(c, "merge key that is not a mapping", app("  labels: {app: todomvc}", "  labels: {<<: 5}"), "merge");
    c.add(new Case("a document over 1 MiB", app("cmd: redis-server", "cmd: redis-server\n    args2: '"
        + "x".repeat(1100 * 1024) + "'"), "1048576", true, false));
  }

  private static void shape(List<Case> c) {
    add(c, "kind missing", app("kind: StatefulApp\n", ""), "kind");
    add(c, "kind unknown", app("kind: StatefulApp", "kind: Pod"), "kind");
    add(c, "kind in lower case", app("kind: StatefulApp", "kind: statefulapp"), "kind");
    add(c, "kind a number", app("kind: StatefulApp", "kind: 42"), "kind");
    add(c, "kind a list", app("kind: StatefulApp", "kind: [StatefulApp]"), "kind");
    add(c, "apiVersion v2", app("apiVersion: ferry/v1", "apiVersion: ferry/v2"), "apiVersion");
    add(c, "apiVersion missing", app("apiVersion: ferry/v1\n", ""), "apiVersion");
    add(c, "apiVersion a number", app("apiVersion: ferry/v1", "apiVersion: 1"), "apiVersion");
    add(c, "unknown top-level field", APP + "extra: field\n", "extra");
    add(c, "status set by the user", APP + "status: {phase: Running}\n", "status");
    add(c, "empty status set by the user", APP + "status: {}\n", "status");
    add(c, "status claims a node", APP + "status: {node: node1, observedGeneration: 9}\n", "status");
    add(c, "status on a GitSource", GIT + "status: {sync: Synced}\n", "status");
    add(c, "status on a Migration", MIGRATION + "status: {phase: Succeeded}\n", "status");
    add(c, "spec missing", app("spec:", "specs:"), "spec");
    add(c, "spec a list", "apiVersion: ferry/v1\nkind: StatefulApp\nmetadata: {name: target}\nspec: [a, b]\n", "spec");
    add(c, "spec null", "apiVersion: ferry/v1\nkind: StatefulApp\nmetadata: {name: target}\nspec: null\n", "spec");
    add(c, "spec a string", "apiVersion: ferry/v1\nkind: StatefulApp\nmetadata: {name: target}\nspec: run it\n", "spec");
    add(c, "unknown spec field", app("  dataset:", "  datset:"), "spec.datset");
    add(c, "metadata missing", "apiVersion: ferry/v1\nkind: Dataset\nspec: {size: 1Gi}\n", "metadata");
    add(c, "metadata a list", "apiVersion: ferry/v1\nkind: Dataset\nmetadata: [target]\nspec: {size: 1Gi}\n", "metadata");
  }

  private static void names(List<Case> c) {
    String[][] bad = {
        {"path traversal", "../../etc/passwd"}, {"dot dot", ".."}, {"a slash", "a/b"}, {"a semicolon", "a;rm -rf /"},
        {"a space", "to do"}, {"upper case", "Todos"}, {"an underscore", "todos_db"}, {"a leading dash", "-todos"},
        {"a trailing dash", "todos-"}, {"a dot", "todos.db"}, {"a shell substitution", "$(reboot)"}, {"a backtick", "'`id`'"},
        {"unicode", "tödös"}, {"a newline", "\"todos\\ndb\""}, {"a NUL byte", "\"todos\\0db\""}, {"64 characters", "a".repeat(64)},
        {"a percent-encoded slash", "a%2Fb"}, {"a wildcard", "todos*"}, {"an empty name", "\"\""}};
    for (String[] name : bad) {
      add(c, "name with " + name[0], app("  name: target", "  name: " + name[1]), "metadata.name");
    }
    add(c, "name a number", app("  name: target", "  name: 42"), "metadata.name");
    add(c, "name a list", app("  name: target", "  name: [a, b]"), "metadata.name");
    add(c, "name a mapping", app("  name: target", "  name: {a: b}"), "metadata.name");
    add(c, "name missing", app("  name: target\n", ""), "metadata.name");
    add(c, "GitSource name with ../", git("{name: target}", "{name: ../target}"), "metadata.name");
  }

  private static void metadata(List<Case> c) {
    add(c, "labels a list", app("{app: todomvc}", "[app, todomvc]"), "metadata.labels");
    add(c, "label value a number", app("{app: todomvc}", "{app: 5}"), "metadata.labels.app");
    add(c, "label value a mapping", app("{app: todomvc}", "{app: {x: y}}"), "metadata.labels.app");
    add(c, "label key with a space", app("{app: todomvc}", "{'my app': todomvc}"), "metadata.labels");
    add(c, "label key starting with a dash", app("{app: todomvc}", "{-app: todomvc}"), "metadata.labels");
    add(c, "label key with an upper-case prefix", app("{app: todomvc}", "{Example.com/app: todomvc}"), "metadata.labels");
    add(c, "label value too long", app("{app: todomvc}", "{app: " + "v".repeat(64) + "}"), "metadata.labels.app");
    add(c, "label value with a space", app("{app: todomvc}", "{app: 'to do'}"), "metadata.labels.app");
    add(c, "label value with a semicolon", app("{app: todomvc}", "{app: 'a;b'}"), "metadata.labels.app");
    add(c, "annotations too large", app("  labels: {app: todomvc}", "  annotations: {big: '" + "x".repeat(300 * 1024) + "'}"),
        "metadata.annotations");
    add(c, "annotation value a list", app("  labels: {app: todomvc}", "  annotations: {a: [1]}"), "metadata.annotations.a");
    add(c, "unknown metadata field", app("  labels: {app: todomvc}", "  namespace: default"), "metadata.namespace");
    add(c, "uid a number", app("  labels: {app: todomvc}", "  uid: 5"), "metadata.uid");
    add(c, "negative resourceVersion", app("  labels: {app: todomvc}", "  resourceVersion: -1"), "metadata.resourceVersion");
    add(c, "resourceVersion a word", app("  labels: {app: todomvc}", "  resourceVersion: latest"), "metadata.resourceVersion");
    add(c, "negative generation", app("  labels: {app: todomvc}", "  generation: -3"), "metadata.generation");
    add(c, "finalizers a string", app("  labels: {app: todomvc}", "  finalizers: ferry.dev/dataset"), "metadata.finalizers");
    add(c, "creationTimestamp not a time", app("  labels: {app: todomvc}", "  creationTimestamp: yesterday"),
        "metadata.creationTimestamp");
  }

  private static void app(List<Case> c) {
    add(c, "two instances", app("instances: 1", "instances: 2"), "spec.app.instances");
    add(c, "negative instances", app("instances: 1", "instances: -1"), "spec.app.instances");
    add(c, "instances a string", app("instances: 1", "instances: one"), "spec.app.instances");
    add(c, "instances a fraction", app("instances: 1", "instances: 0.5"), "spec.app.instances");
    add(c, "cpus a string", app("instances: 1", "instances: 1\n    cpus: lots"), "spec.app.cpus");
    add(c, "mem a list", app("instances: 1", "instances: 1\n    mem: [256]"), "spec.app.mem");
    add(c, "cmd a number", app("cmd: redis-server", "cmd: 5"), "spec.app.cmd");
    add(c, "neither cmd nor args", app("cmd: redis-server", "mem: 64"), "spec.app");
    add(c, "cmd and args", app("instances: 1", "instances: 1\n    args: [redis-server]"), "spec.app.args");
    add(c, "app constraints", app("instances: 1", "instances: 1\n    constraints: [[hostname, CLUSTER, node1]]"), "spec.app.constraints");
    add(c, "app upgradeStrategy", app("instances: 1", "instances: 1\n    upgradeStrategy: {minimumHealthCapacity: 1}"),
        "spec.app.upgradeStrategy");
    add(c, "a FERRY_ label", app("instances: 1", "instances: 1\n    labels: {FERRY_GENERATION: '3'}"), "spec.app.labels.FERRY_GENERATION");
    add(c, "a FERRY_ variable", app("instances: 1", "instances: 1\n    env: {FERRY_DATASET_PATH: /etc}"), "spec.app.env.FERRY_DATASET_PATH");
    add(c, "a Marathon version", app("instances: 1", "instances: 1\n    version: '2026-01-01T00:00:00Z'"), "spec.app.version");
    add(c, "an app id in upper case", app("instances: 1", "instances: 1\n    id: /Todos"), "spec.app.id");
    add(c, "a reserved app id", app("instances: 1", "instances: 1\n    id: /db/restart"), "spec.app.id");
    add(c, "an app id with a .. segment", app("instances: 1", "instances: 1\n    id: /db/../etc"), "spec.app.id");
    add(c, "an app id with a . segment", app("instances: 1", "instances: 1\n    id: /./db"), "spec.app.id");
    add(c, "an env secret no secrets entry declares", app("instances: 1", "instances: 1\n    env: {PW: {secret: pw}}"),
        "spec.app.env.PW.secret");
    add(c, "a secret source leaving the secrets directory", app("instances: 1",
        "instances: 1\n    env: {PW: {secret: pw}}\n    secrets: {pw: {source: ../../etc/shadow}}"), "spec.app.secrets.pw.source");
    add(c, "a misspelt app field", app("instances: 1", "instances: 1\n    comand: redis-server"), "spec.app.comand");
    add(c, "healthChecks a mapping", app("instances: 1", "instances: 1\n    healthChecks: {protocol: TCP}"), "spec.app.healthChecks");
    add(c, "app a list", app("  app:\n    cmd: redis-server\n    instances: 1", "  app: [redis-server]"), "spec.app");
  }

  private static void dataset(List<Case> c) {
    add(c, "dataset name with a dot", app("name: target-data", "name: target.data"), "spec.dataset.name");
    add(c, "dataset name with a slash", app("name: target-data", "name: tank/other"), "spec.dataset.name");
    add(c, "dataset name with ../", app("name: target-data", "name: ../../pool"), "spec.dataset.name");
    add(c, "fractional size", app("size: 1Gi", "size: 1.5Gi"), "spec.dataset.size");
    add(c, "zero size", app("size: 1Gi", "size: 0"), "spec.dataset.size");
    add(c, "negative size", app("size: 1Gi", "size: -1Gi"), "spec.dataset.size");
    add(c, "size in words", app("size: 1Gi", "size: lots"), "spec.dataset.size");
    add(c, "size beyond 64 bits", app("size: 1Gi", "size: 99999999999Ei"), "spec.dataset.size");
    add(c, "size a list", app("size: 1Gi", "size: [1Gi]"), "spec.dataset.size");
    add(c, "size missing", app("size: 1Gi, ", ""), "spec.dataset.size");
    add(c, "relative mountPath", app("mountPath: /data", "mountPath: data"), "spec.dataset.mountPath");
    add(c, "mountPath escaping with ..", app("mountPath: /data", "mountPath: /data/../etc"), "spec.dataset.mountPath");
    add(c, "mountPath with a trailing slash", app("mountPath: /data", "mountPath: /data/"), "spec.dataset.mountPath");
    add(c, "mountPath the root", app("mountPath: /data", "mountPath: /"), "spec.dataset.mountPath");
    add(c, "unknown reclaimPolicy", app("mountPath: /data}", "mountPath: /data, reclaimPolicy: Keep}"), "spec.dataset.reclaimPolicy");
    add(c, "unknown dataset field", app("mountPath: /data}", "mountPath: /data, pool: tank}"), "spec.dataset.pool");
  }

  private static void placement(List<Case> c) {
    String base = "[disk, LIKE, spinning]";
    add(c, "unknown operator", app(base, "[disk, NEAR, ssd]"), "spec.placement.constraints[0][1]");
    add(c, "one-field constraint", app(base, "[disk]"), "spec.placement.constraints[0]");
    add(c, "four-field constraint", app(base, "[disk, LIKE, ssd, hdd]"), "spec.placement.constraints[0]");
    add(c, "UNIQUE with a value", app(base, "[hostname, UNIQUE, node1]"), "spec.placement.constraints[0][2]");
    add(c, "LIKE without a value", app(base, "[disk, LIKE]"), "spec.placement.constraints[0][1]");
    add(c, "unclosed character class", app(base, "[disk, UNLIKE, 'ssd[']"), "spec.placement.constraints[0][2]");
    add(c, "unclosed group", app(base, "[disk, LIKE, '(ssd']"), "spec.placement.constraints[0][2]");
    add(c, "dangling repetition", app(base, "[disk, LIKE, '*ssd']"), "spec.placement.constraints[0][2]");
    add(c, "bad escape", app(base, "[disk, LIKE, 'ssd\\']"), "spec.placement.constraints[0][2]");
    // Linear-time matching (RE2) has no backreferences or lookaround: refused, not run.
    add(c, "a backreference", app(base, "[disk, LIKE, '(ssd)\\1']"), "spec.placement.constraints[0][2]");
    add(c, "a lookahead", app(base, "[disk, UNLIKE, '(?=ssd)ssd']"), "spec.placement.constraints[0][2]");
    add(c, "MAX_PER not a number", app(base, "[rack, MAX_PER, two]"), "spec.placement.constraints[0][2]");
    add(c, "GROUP_BY not a number", app(base, "[rack, GROUP_BY, two]"), "spec.placement.constraints[0][2]");
    add(c, "IS with a space", app(base, "[disk, IS, 'fast disk']"), "spec.placement.constraints[0][2]");
    add(c, "a numeric value", app(base, "[disk, LIKE, 5]"), "spec.placement.constraints[0][2]");
    add(c, "a blank attribute", app(base, "[' ', CLUSTER, a]"), "spec.placement.constraints[0][0]");
    add(c, "constraints a mapping", app("    constraints:\n    - " + base, "    constraints: {disk: ssd}"), "spec.placement.constraints");
    add(c, "a constraint a string", app(base, "'disk:LIKE:ssd'"), "spec.placement.constraints[0]");
    add(c, "unknown strategy", app("strategy: PreCopy", "strategy: Live"), "spec.migration.strategy");
    add(c, "zero rounds", app("maxRounds: 10", "maxRounds: 0"), "spec.migration.maxRounds");
    add(c, "rounds a string", app("maxRounds: 10", "maxRounds: ten"), "spec.migration.maxRounds");
    add(c, "negative deadline", app("maxRounds: 10", "maxRounds: 10, deadlineSeconds: -1"), "spec.migration.deadlineSeconds");
    add(c, "deadline past a day", app("maxRounds: 10", "maxRounds: 10, deadlineSeconds: 99999999999"),
        "spec.migration.deadlineSeconds");
    add(c, "deadline in words", app("maxRounds: 10", "maxRounds: 10, deadlineSeconds: soon"), "spec.migration.deadlineSeconds");
    add(c, "delta in words", app("maxFinalDelta: 64Mi", "maxFinalDelta: lots"), "spec.migration.maxFinalDelta");
  }

  private static void otherKinds(List<Case> c) {
    add(c, "git url not a URL", git("\"file:///srv/git/config.git\"", "not a url"), "spec.url");
    add(c, "git url with a shell", git("\"file:///srv/git/config.git\"", "\"$(curl evil)\""), "spec.url");
    add(c, "git url missing", git("url: \"file:///srv/git/config.git\", ", ""), "spec.url");
    add(c, "git path escaping", git("path: apps", "path: ../elsewhere"), "spec.path");
    add(c, "git path absolute", git("path: apps", "path: /etc"), "spec.path");
    add(c, "git branch with ..", git("branch: main", "branch: 'feature..x'"), "spec.branch");
    add(c, "git branch with a space", git("branch: main", "branch: 'my branch'"), "spec.branch");
    add(c, "git tag as an option", git("branch: main", "ref: {tag: '--upload-pack=touch /tmp/x'}"), "spec.ref.tag");
    add(c, "git commit abbreviated", git("branch: main", "ref: {commit: 4f2a9c1}"), "spec.ref.commit");
    add(c, "git ref with branch and commit", git("branch: main", "ref: {branch: main, commit: " + "a".repeat(40) + "}"),
        "spec.ref");
    add(c, "git secretRef leaving its folder", git("branch: main", "branch: main, secretRef: {name: ../../etc}"),
        "spec.secretRef.name");
    add(c, "git interval in words", git("interval: 30s", "interval: soon"), "spec.interval");
    add(c, "git interval too short", git("interval: 30s", "interval: 10ms"), "spec.interval");
    add(c, "git interval past the end of time", git("interval: 30s", "interval: 1000000000000d"), "spec.interval");
    add(c, "git interval over a day", git("interval: 30s", "interval: 1d1s"), "spec.interval");
    add(c, "git url with user and token", git("file:///srv/git/config.git", "https://alice:s3cr3t-token@git.example.com/cfg.git"),
        "spec.url: must not hold credentials");
    add(c, "git url with a token as user", git("file:///srv/git/config.git", "https://ghp_s3cr3t@github.com/org/cfg.git"),
        "spec.url: must not hold credentials");
    add(c, "ssh url with a password", git("file:///srv/git/config.git", "ssh://git:s3cr3t@git.example.com/cfg.git"),
        "spec.url: must not hold credentials");
    add(c, "git prune a string", git("interval: 30s", "interval: 30s, prune: 'yes'"), "spec.prune");
    add(c, "git selfHeal a number", git("interval: 30s", "interval: 30s, selfHeal: 1"), "spec.selfHeal");
    add(c, "git unknown field", git("interval: 30s", "interval: 30s, depth: 1"), "spec.depth");
    add(c, "migration to where it is", MIGRATION.replace("to: node2", "to: node1"), "spec.to");
    add(c, "migration without an app", MIGRATION.replace("statefulApp: todos-db, ", ""), "spec.statefulApp");
    add(c, "migration strategy unknown", MIGRATION.replace("to: node2", "to: node2, strategy: Teleport"), "spec.strategy");
    add(c, "migration unknown field", MIGRATION.replace("to: node2", "to: node2, force: true"), "spec.force");
    add(c, "dataset size in words", DATASET.replace("size: 1Gi", "size: big"), "spec.size");
    add(c, "dataset unknown field", DATASET.replace("size: 1Gi", "size: 1Gi, compression: lz4"), "spec.compression");
  }
}
