package dev.ferry.e2e.vagrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.config.Settings;
import dev.ferry.api.codec.Json;
import dev.ferry.api.codec.Manifests;
import dev.ferry.api.model.FerryObject;
import dev.ferry.api.model.StatefulApp;
import dev.ferry.controller.ControllerConfig;
import dev.ferry.controller.marathon.TaskGuard;
import dev.ferry.controller.marathon.MarathonApps;
import dev.ferry.controller.marathon.MarathonApps.Pin;
import dev.ferry.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vagrant/ cannot run here (no virtualisation), so it is checked statically: the Vagrantfile's
 * syntax and shape, every shell script with shellcheck, the systemd units, the configs the
 * provisioning writes (against the controller's and the agent's own parsers), and the Docker
 * manifests (against Ferry's validator, and what the controller makes of them against
 * Marathon's schema).
 */
class VagrantFilesIT {

  private static final Path HOME = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
  private static final Path VAGRANT = HOME.resolve("vagrant");

  @TempDir
  Path dir;

  @Test
  void vagrantfileIsValidRuby() throws Exception {
    Result r = run(HOME, "ruby", "-c", "vagrant/Vagrantfile");
    assertThat(r.exit()).as("ruby -c vagrant/Vagrantfile:\n%s", r.output()).isZero();
    assertThat(r.output()).contains("Syntax OK");
  }

  @Test
  void vagrantfileDefinesTheThreeMachinesWithScriptsThatExist() throws Exception {
    Result r = run(HOME, "ruby", "vagrant/test/vagrantfile_check.rb", "vagrant/Vagrantfile");
    assertThat(r.exit()).as("vagrant/test/vagrantfile_check.rb:\n%s", r.output()).isZero();
    assertThat(r.output())
        .contains("machines master node1 node2")
        .contains("network master private_network 192.168.56.10")
        .contains("network node1 private_network 192.168.56.11")
        .contains("network node2 private_network 192.168.56.12")
        .containsPattern("provision node1 node scripts/provision-node.sh .*FERRY_NODE_ATTRIBUTES=disk:spinning")
        .containsPattern("provision node2 node scripts/provision-node.sh .*FERRY_NODE_ATTRIBUTES=disk:ssd");
  }

  @Test
  void everyShellScriptPassesShellcheck() throws Exception {
    List<String> scripts = shellScripts();
    assertThat(scripts).as("shell scripts under vagrant/").isNotEmpty();
    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources", "--source-path=SCRIPTDIR"));
    command.addAll(scripts);
    Result r = run(HOME, command.toArray(String[]::new));
    assertThat(r.exit()).as("%s:\n%s", String.join(" ", command), r.output()).isZero();
  }

  @Test
  void systemdUnitsVerify() throws Exception {
    List<Path> units;
    try (Stream<Path> files = Files.list(VAGRANT.resolve("systemd"))) {
      units = files.filter(f -> f.toString().endsWith(".service")).sorted().toList();
    }
    assertThat(units).extracting(u -> u.getFileName().toString()).contains(
        "ferry-controller.service", "ferry-agent.service", "ferry-pool.service",
        "mesos-master.service", "mesos-slave.service", "marathon.service");
    if (!onPath("systemd-analyze")) {
      System.out.println("systemd-analyze is not installed: the units' syntax is not verified");
      return;
    }
    for (Path unit : units) {
      Result r = run(HOME, "systemd-analyze", "verify", "--man=no", unit.toString());
      // What the VMs have and this machine may not (Docker, ZooKeeper, etcd) is not the units' fault.
      List<String> problems = r.output().lines()
          .filter(l -> !l.isBlank())
          .filter(l -> !l.matches(".*Unit (docker|zookeeper|etcd|marathon|mesos-master)\\.service not found.*"))
          .filter(l -> !l.matches(".*Command /usr/bin/(docker|java) is not executable.*"))
          .toList();
      assertThat(problems).as("systemd-analyze verify %s (exit %d):\n%s", unit.getFileName(), r.exit(), r.output()).isEmpty();
    }
  }

  @Test
  void unitsReadOnlyFilesTheProvisioningWrites() throws IOException {
    String scripts = read("vagrant/scripts/provision-master.sh") + read("vagrant/scripts/provision-node.sh");
    Matcher m = Pattern.compile("(?:EnvironmentFile=|--env-file=|--config )(/etc/ferry/[\\w.-]+)")
        .matcher(readAll(VAGRANT.resolve("systemd")));
    int seen = 0;
    while (m.find()) {
      seen++;
      String file = m.group(1).replace("/etc/ferry/", "$FERRY_ETC/");
      assertThat(scripts.contains(m.group(1)) || scripts.contains(file))
          .as("%s is read by a unit but no provisioning script writes it", m.group(1)).isTrue();
    }
    assertThat(seen).isGreaterThanOrEqualTo(8);
  }

  @Test
  void controllerConfigWrittenByTheMasterParses() throws IOException {
    String yaml = configText("vagrant/scripts/provision-master.sh", "$FERRY_ETC/controller.yaml",
        Map.of("ip", "192.168.56.10", "zk", "192.168.56.10:2181"));
    ControllerConfig config;
    try {
      // The TLS files exist only in the VM: the environment points them here.
      config = ControllerConfig.parse(yaml, tlsFilesHere("FERRY_TLS_CERT_FILE", "FERRY_TLS_KEY_FILE", "FERRY_TLS_CA_FILE"));
    } catch (RuntimeException e) {
      throw new AssertionError("the controller refuses the config provision-master.sh writes:\n" + yaml, e);
    }
    assertThat(config.listenPort()).isEqualTo(7070);
    assertThat(config.marathonUrl().toString()).isEqualTo("http://192.168.56.10:8080");
    // Marathon's and Mesos's own --zk paths (mesos-master.flags, marathon.flags).
    assertThat(config.marathonZk().map(Object::toString)).contains("zk://192.168.56.10:2181/marathon");
    assertThat(config.mesosZk().map(Object::toString)).contains("zk://192.168.56.10:2181/mesos");
    assertThat(config.tokensFile()).isEqualTo(Path.of("/etc/ferry/tokens.csv"));
    assertThat(config.clusterKeyFile()).contains(Path.of("/etc/ferry/cluster.key"));
    assertThat(config.tls()).as("the API serves HTTPS").isPresent();
    assertThat(yaml).contains("certFile: /etc/ferry/tls/controller.crt", "caFile: /etc/ferry/tls/ca.crt");
    assertThat(config.etcd().endpoints()).allSatisfy(u -> assertThat(u.getScheme()).isEqualTo("https"));
    assertThat(config.etcd().tls().orElseThrow().clientCert()).as("etcd wants a client certificate").isPresent();
    assertThat(read("vagrant/scripts/provision-master.sh")).contains("ETCD_CLIENT_CERT_AUTH=true");
    // Where provision-node.sh installs scripts/ferry-task-guard on every agent.
    assertThat(config.taskGuard()).isEqualTo(TaskGuard.INSTALLED);
    assertThat(read("vagrant/scripts/provision-node.sh"))
        .contains("install -D -m 0755 \"$FERRY_REPO/scripts/ferry-task-guard\" \"$FERRY_TASK_GUARD\"");
    assertThat(libDefaults()).containsEntry("FERRY_TASK_GUARD", TaskGuard.INSTALLED.hostPath());
  }

  @Test
  void agentConfigWrittenOnTheNodesParses() throws IOException {
    String yaml = configText("vagrant/scripts/provision-node.sh", "$FERRY_ETC/agent.yaml",
        Map.of("ip", "192.168.56.11", "FERRY_NODE_NAME", "node1", "FERRY_MASTER_IP", "192.168.56.10"));
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, yaml);
    // The files it names exist only in the VM: the environment points them here, which also
    // shows that the file's keys are all known (an unknown key fails Settings.load).
    Path key = dir.resolve("cluster.key");
    Files.writeString(key, "0123456789abcdef0123456789abcdef0123456789abcdef");
    Path attributes = dir.resolve("attributes");
    Files.writeString(attributes, "disk:spinning\n");
    Map<String, String> env = new HashMap<>(tlsFilesHere("FERRY_TLS_CERT_FILE", "FERRY_TLS_KEY_FILE", "FERRY_TLS_CA_FILE",
        "FERRY_ETCD_CERT_FILE", "FERRY_ETCD_KEY_FILE", "FERRY_ETCD_CA_FILE"));
    env.putAll(Map.of("FERRY_CLUSTER_KEY_FILE", key.toString(), "FERRY_ATTRIBUTES_FILE", attributes.toString()));
    AgentConfig config;
    try {
      config = AgentConfig.from(Settings.load(Optional.of(file), env));
    } catch (RuntimeException e) {
      throw new AssertionError("the agent refuses the config provision-node.sh writes:\n" + yaml, e);
    }
    assertThat(config.nodeName()).isEqualTo("node1");
    assertThat(config.hostname()).isEqualTo("192.168.56.11");
    assertThat(config.address()).isEqualTo("192.168.56.11");
    assertThat(config.transferPort()).isEqualTo(7071);
    assertThat(config.attributes()).containsEntry("disk", "spinning");
    assertThat(yaml).contains("attributesFile: /etc/mesos-slave/attributes", "etcdEndpoints: ['https://192.168.56.10:2379']",
        "tlsCertFile: /etc/ferry/tls/agent-node1.crt", "etcdCertFile: /etc/ferry/tls/agent-node1.crt");
    assertThat(config.tls()).as("mutual TLS between agents").isPresent();
    assertThat(config.etcd().tls().orElseThrow().clientCert()).isPresent();
  }

  @Test
  void dockerManifestsPassFerrysValidationAndMarathonsSchema() throws IOException {
    List<Path> manifests;
    try (Stream<Path> files = Files.list(VAGRANT.resolve("manifests"))) {
      manifests = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(manifests).extracting(p -> p.getFileName().toString()).contains("todos-db.yaml");
    JsonSchema marathon = marathonSchema();
    for (Path manifest : manifests) {
      List<FerryObject<?, ?, ?>> objects = Manifests.read(Files.readString(manifest));
      assertThat(objects).as(manifest.toString()).isNotEmpty();
      for (FerryObject<?, ?, ?> object : objects) {
        if (!(object instanceof StatefulApp app)) {
          continue;
        }
        assertThat(app.spec().app().path("container").path("type").asText()).as(manifest + ": container.type").isEqualTo("DOCKER");
        ObjectNode written = MarathonApps.build(app, Optional.of(new Pin("192.168.56.11",
            "/var/lib/ferry/datasets/" + app.spec().datasetRef().orElseThrow().name(), "todos-data/5e1f0c9a")), 1,
            TaskGuard.INSTALLED);
        Set<ValidationMessage> problems = marathon.validate(written);
        assertThat(problems).as("Marathon's schema on the app Ferry writes for %s: %s", manifest, written).isEmpty();
        JsonNode volume = written.path("container").path("volumes").path(0);
        assertThat(volume.path("containerPath").asText()).isEqualTo(app.spec().datasetRef().orElseThrow().mountPath());
        assertThat(volume.path("hostPath").asText()).startsWith("/var/lib/ferry/datasets/");
        // The image (redis:7, Debian) runs the guard: sh, flock and mountpoint are in it.
        assertThat(written.path("cmd").asText()).isEqualTo("exec " + TaskGuard.IN_CONTAINER);
        assertThat(written.path("container").path("volumes").path(1).path("mode").asText()).isEqualTo("RO");
      }
    }
  }

  @Test
  void placementsNameAttributesTheNodesHave() throws IOException {
    String manifest = read("vagrant/manifests/todos-db.yaml");
    String vagrantfile = read("vagrant/Vagrantfile");
    assertThat(manifest).contains("[disk, LIKE, spinning]");
    assertThat(vagrantfile).contains("attributes: \"disk:spinning\"", "attributes: \"disk:ssd\"");
  }

  // --- helpers --------------------------------------------------------------------------------------

  /** Each variable pointing at a file of its own in the test's directory. */
  private Map<String, String> tlsFilesHere(String... variables) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String variable : variables) {
      env.put(variable, Files.writeString(dir.resolve(variable.toLowerCase()), "pem").toString());
    }
    return env;
  }

  /**
   * The text a provisioning script writes to TARGET with {@code write_file TARGET MODE "..."},
   * with the shell variables replaced: those given, then the plain assignments of lib.sh.
   */
  private static String configText(String script, String target, Map<String, String> given) throws IOException {
    String text = read(script);
    int start = text.indexOf("write_file \"" + target + "\" 0644 \"");
    assertThat(start).as("%s writes %s with write_file", script, target).isNotNegative();
    start = text.indexOf('"', text.indexOf("0644", start)) + 1;
    int end = text.indexOf('"', start);
    String body = text.substring(start, end);
    Map<String, String> vars = new HashMap<>(libDefaults());
    vars.putAll(given);
    Matcher m = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))").matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = vars.get(name);
      if (value == null) {
        fail("%s: %s uses $%s, which this test does not know", script, target, name);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> libDefaults() throws IOException {
    Map<String, String> vars = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^([A-Z_]+)=([^$\\s\"]+)$").matcher(read("vagrant/scripts/lib.sh"));
    while (m.find()) {
      vars.put(m.group(1), m.group(2));
    }
    assertThat(vars).containsKeys("FERRY_ETC", "FERRY_POOL", "FERRY_CONTROLLER_PORT", "FERRY_TRANSFER_PORT");
    return vars;
  }

  private static JsonSchema marathonSchema() throws IOException {
    ObjectNode schema = (ObjectNode) Json.json().readTree(
        Files.readString(TestData.path("marathon/schema/AppDefinition.json")));
    // Marathon's file names the bare "http://json-schema.org/schema#"; its keywords are draft 4's.
    schema.remove("$schema");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
  }

  /** Every *.sh under vagrant/, and every other file there that starts with a shell shebang. */
  private static List<String> shellScripts() throws IOException {
    try (Stream<Path> files = Files.walk(VAGRANT)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.startsWith(VAGRANT.resolve("dist")) && !f.startsWith(VAGRANT.resolve(".vagrant")))
          .filter(VagrantFilesIT::isShellScript)
          .map(f -> HOME.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  private static boolean isShellScript(Path file) {
    if (file.toString().endsWith(".sh")) {
      return true;
    }
    try {
      String first = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
      return first.matches("#!\\s*(/usr/bin/env\\s+)?(/bin/|/usr/bin/)?(ba)?sh\\b.*");
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(String relative) throws IOException {
    return Files.readString(HOME.resolve(relative));
  }

  private static String readAll(Path folder) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.sorted().toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    }
    return all.toString();
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private record Result(int exit, String output) {}

  private static Result run(Path cwd, String... command) throws IOException, InterruptedException {
    if (!onPath(command[0])) {
      fail("%s is not installed: ./ferry setup installs it (FERRY_PACKAGES in scripts/setup.sh)", command[0]);
    }
    Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("%s did not finish in 2 minutes", String.join(" ", command));
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
