package dev.ferry.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSuggestionTest {

  static final List<String> APP_FIELDS = List.of("id", "cmd", "args", "cpus", "mem", "disk", "instances", "mountPath",
      "dataset", "placement", "labels", "healthChecks");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "none", value = {
      "mountpath, mountPath",     // case only
      "MOUNTPATH, mountPath",
      "cpu, cpus",                // one letter short
      "datset, dataset",          // one letter missing
      "instnaces, instances",     // two letters swapped: two edits, long enough
      "healthcheck, healthChecks",
      "comand, none",             // three edits from cmd: not a slip
      "gpu, none",                // two edits from cpus: too many for a short name
      "xyz, none",
      "memory, none"})
  void suggestsTheFieldMeant(String unknown, String expected) {
    assertThat(FieldSuggestion.closest(unknown, APP_FIELDS)).isEqualTo(Optional.ofNullable(expected));
  }
}
