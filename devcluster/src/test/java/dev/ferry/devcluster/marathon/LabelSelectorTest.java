package dev.ferry.devcluster.marathon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.codec.Json;
import dev.ferry.devcluster.apps.AppDefinition;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  private static final AppDefinition APP = app();

  private static AppDefinition app() {
    ObjectNode json = Json.json().createObjectNode().put("id", "/a");
    json.putObject("labels").put("tier", "web").put("team", "core");
    return AppDefinition.of(json);
  }

  @Test
  void termsAreAnded() {
    assertThat(LabelSelector.parse(null).test(APP)).isTrue();
    assertThat(LabelSelector.parse("tier").test(APP)).isTrue();
    assertThat(LabelSelector.parse("owner").test(APP)).isFalse();
    assertThat(LabelSelector.parse("tier==web").test(APP)).isTrue();
    assertThat(LabelSelector.parse("tier!=web").test(APP)).isFalse();
    assertThat(LabelSelector.parse("owner!=x").test(APP)).isTrue();
    assertThat(LabelSelector.parse("team in (core, edge)").test(APP)).isTrue();
    assertThat(LabelSelector.parse("team notin (core)").test(APP)).isFalse();
    assertThat(LabelSelector.parse("owner notin (core)").test(APP)).isTrue();
    assertThat(LabelSelector.parse("tier==web, team==edge").test(APP)).isFalse();
    assertThat(LabelSelector.parse("tier==web, team in (core)").test(APP)).isTrue();
  }
}
