package dev.ferry.controller.api;

import static dev.ferry.controller.api.OwnershipApiTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.model.Kind;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An edit token tries, over HTTP, to run an app that reaches into its node: a privileged
 * container, a Docker flag that adds capabilities, a host path mounted into the app. Each is
 * refused with 403 naming the field and nothing is stored; an admin may. A secret reference that
 * cannot be right (an undeclared secret, a source that would leave the controller's secrets
 * directory) is refused with 422 naming the field, whatever the role.
 */
class HostAccessApiTest {

  @RegisterExtension
  static final ApiFixture api = ApiFixture.withOwnEtcd();

  static String dockerApp(String name, String container) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app:
            cmd: exec redis-server
            instances: 1
            container: %s
          dataset: {name: %s-data, size: 1Gi, mountPath: /data}
        """.formatted(name, container, name);
  }

  void assertEditRefused(String name, String container, String field, String... words) throws Exception {
    HttpResponse<String> refused = api.send("PUT", OwnershipApiTest.V1 + "statefulapps/" + name, ApiFixture.EDIT,
        dockerApp(name, container));

    assertRefused(refused, 403, field, words);
    assertThat(api.store.get(Kind.STATEFUL_APP, name).get()).as("nothing stored").isEmpty();
  }

  @Test
  void anEditTokenCannotRunAPrivilegedContainer() throws Exception {
    assertEditRefused("priv", "{type: DOCKER, docker: {image: 'redis:7', privileged: true}}",
        "spec.app.container.docker.privileged", "only an admin");
  }

  @Test
  void anEditTokenCannotAddCapabilitiesThroughDockerParameters() throws Exception {
    assertEditRefused("caps", "{type: DOCKER, docker: {image: 'redis:7', parameters: [{key: label, value: a=b}, "
        + "{key: cap-add, value: SYS_ADMIN}]}}", "spec.app.container.docker.parameters[1].key", "'cap-add'");
  }

  @Test
  void anEditTokenCannotMountAHostPath() throws Exception {
    assertEditRefused("hostpath", "{type: MESOS, volumes: [{containerPath: /etc-host, hostPath: /etc, mode: RW}]}",
        "spec.app.container.volumes[0].hostPath", "only an admin");
  }

  @Test
  void anAdminMayAndHarmlessDockerParametersNeedNoAdmin() throws Exception {
    HttpResponse<String> admin = api.send("PUT", OwnershipApiTest.V1 + "statefulapps/admin-priv", ApiFixture.ADMIN,
        dockerApp("admin-priv", "{type: DOCKER, docker: {image: 'redis:7', privileged: true}}"));
    assertThat(admin.statusCode()).as(admin.body()).isEqualTo(201);

    HttpResponse<String> labelled = api.send("PUT", OwnershipApiTest.V1 + "statefulapps/labelled", ApiFixture.EDIT,
        dockerApp("labelled", "{type: DOCKER, docker: {image: 'redis:7', parameters: [{key: label, value: team=db}]}}"));
    assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(201);
  }

  static String secretApp(String name, String env, String secrets) {
    return """
        apiVersion: ferry/v1
        kind: StatefulApp
        metadata: {name: %s}
        spec:
          app:
            cmd: sleep 600
            env: %s
            secrets: %s
        """.formatted(name, env, secrets);
  }

  void assertSecretInvalid(String name, String env, String secrets, String field, String words) throws Exception {
    HttpResponse<String> refused = api.send("PUT", OwnershipApiTest.V1 + "statefulapps/" + name, ApiFixture.ADMIN,
        secretApp(name, env, secrets));

    assertRefused(refused, 422, field, words);
    assertThat(api.store.get(Kind.STATEFUL_APP, name).get()).as("nothing stored").isEmpty();
  }

  @Test
  void aReferenceToAnUndeclaredSecretIsRefusedNamingTheVariable() throws Exception {
    assertSecretInvalid("undeclared", "{DB_PASSWORD: {secret: pw}}", "{other: {source: db/password}}",
        "spec.app.env.DB_PASSWORD.secret", "names secret 'pw', which spec.app.secrets does not declare");
  }

  @Test
  void aSecretSourceThatWouldLeaveTheSecretsDirectoryIsRefused() throws Exception {
    assertSecretInvalid("escaping", "{DB_PASSWORD: {secret: pw}}", "{pw: {source: ../../etc/shadow}}",
        "spec.app.secrets.pw.source", "must be NAME or NAME/KEY");
    assertSecretInvalid("absolute", "{DB_PASSWORD: {secret: pw}}", "{pw: {source: /etc/shadow}}",
        "spec.app.secrets.pw.source", "must be NAME or NAME/KEY");
  }
}
