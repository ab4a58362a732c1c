package dev.ferry.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesosAttributesTest {

  @Test
  void readsMesossForm() {
    assertThat(MesosAttributes.parse("disk:ssd;rack:a")).isEqualTo(Map.of("disk", "ssd", "rack", "a"));
    assertThat(MesosAttributes.parse(" disk : ssd ; zone:eu-west-1a;\n")).isEqualTo(Map.of("disk", "ssd", "zone", "eu-west-1a"));
    assertThat(MesosAttributes.parse("")).isEmpty();
  }

  @Test
  void refusesWhatMesosWouldRefuse() {
    assertThatIllegalArgumentException().isThrownBy(() -> MesosAttributes.parse("disk=ssd")).withMessageContaining("name:value");
    assertThatIllegalArgumentException().isThrownBy(() -> MesosAttributes.parse(":ssd")).withMessageContaining("no name");
    assertThatIllegalArgumentException().isThrownBy(() -> MesosAttributes.parse("disk:ssd;disk:hdd")).withMessageContaining("twice");
  }

  @Test
  void readsTheFileAndTheDirectoryForm(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("attributes"), "disk:spinning;rack:a\n");
    Path perAttribute = Files.createDirectory(dir.resolve("attributes.d"));
    Files.writeString(perAttribute.resolve("disk"), "ssd\n");
    Files.writeString(perAttribute.resolve("rack"), "b");

    assertThat(MesosAttributes.read(file)).isEqualTo(Map.of("disk", "spinning", "rack", "a"));
    assertThat(MesosAttributes.read(perAttribute)).isEqualTo(Map.of("disk", "ssd", "rack", "b"));
    assertThat(MesosAttributes.read(dir.resolve("missing"))).isEmpty();
  }
}
