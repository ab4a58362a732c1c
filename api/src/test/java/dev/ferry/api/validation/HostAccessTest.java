package dev.ferry.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.codec.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostAccessTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a plain command                 | {\"cmd\": \"redis-server\"}                                                          | ",
      "a Docker image                  | {\"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \"redis:7\"}}}         | ",
      "privileged: false               | {\"container\": {\"docker\": {\"privileged\": false}}}                               | ",
      "privileged                      | {\"container\": {\"docker\": {\"privileged\": true}}}                                | spec.app.container.docker.privileged",
      "a label parameter               | {\"container\": {\"docker\": {\"parameters\": [{\"key\": \"label\", \"value\": \"a\"}]}}} | ",
      "cap-add                         | {\"container\": {\"docker\": {\"parameters\": [{\"key\": \"cap-add\", \"value\": \"ALL\"}]}}} | spec.app.container.docker.parameters[0].key",
      "pid host                        | {\"container\": {\"docker\": {\"parameters\": [{\"key\": \"pid\", \"value\": \"host\"}]}}} | spec.app.container.docker.parameters[0].key",
      "a persistent volume             | {\"container\": {\"volumes\": [{\"containerPath\": \"d\", \"persistent\": {\"size\": 10}}]}} | ",
      "a host path                     | {\"container\": {\"volumes\": [{\"containerPath\": \"/x\", \"hostPath\": \"/\"}]}}     | spec.app.container.volumes[0].hostPath",
  })
  void namesEachFieldThatReachesIntoTheNode(String name, String app, String field) throws Exception {
    List<FieldError> needs = HostAccess.check(Json.json().readTree(app));

    assertThat(needs).extracting(FieldError::field).isEqualTo(field == null ? List.of() : List.of(field));
  }
}
