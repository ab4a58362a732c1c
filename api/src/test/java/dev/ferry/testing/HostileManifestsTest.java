package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.api.codec.ManifestReader;
import dev.ferry.api.validation.ObjectValidator;
import dev.ferry.api.validation.ObjectValidator.Source;
import dev.ferry.api.validation.ValidationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HostileManifestsTest {

  static Stream<HostileManifests.Case> cases() {
    return HostileManifests.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachIsRefusedNamingWhatIsWrong(HostileManifests.Case hostile) {
    ValidationException e = catchThrowableOfType(ValidationException.class,
        () -> ObjectValidator.get().toObject(new ManifestReader().readOne(hostile.manifest()), Source.USER));

    assertThat(e).as("refused").isNotNull();
    assertThat(e.getMessage()).contains(hostile.mentions());
  }

  @Test
  void thereAreAtLeastAHundred() {
    assertThat(HostileManifests.all()).hasSizeGreaterThanOrEqualTo(100);
  }
}
